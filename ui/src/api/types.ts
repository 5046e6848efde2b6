// The generated bindings describe some types twice: as Rust sends them (`_Serialize`) and as
// Rust accepts them (`_Deserialize`). The UI reads the first and sends the second.
export type {
  Account_Serialize as Account,
  AccountAction,
  AccountDetail_Serialize as AccountDetail,
  AccountEdit_Deserialize as AccountEdit,
  AccountKey,
  AccountPage_Serialize as AccountPage,
  AccountRow_Serialize as AccountRow,
  /** Which accounts a bulk change, export, link export or migration covers (Rust's `accounts::Selection`). */
  Selection_Deserialize as AccountSelection,
  AccountStatus,
  ActionMessage,
  ActionOutcome_Serialize as ActionOutcome,
  ApiError_Serialize as ApiError,
  AppInfo,
  Capabilities,
  ConflictReason,
  CreateOptions_Serialize as CreateOptions,
  CredentialsInput_Deserialize as CredentialsInput,
  Dashboard_Serialize as Dashboard,
  ErrorCode,
  ExpiryInput,
  FieldError,
  NewAccount_Deserialize as NewAccount,
  NotCarried,
  PanelHealth_Serialize as PanelHealth,
  PanelId,
  PanelInput_Deserialize as PanelInput,
  PanelKind,
  PanelView_Serialize as PanelView,
  ProbeInfo_Serialize as ProbeInfo,
  SortColumn,
  SyncEvent_Serialize as SyncEvent,
} from "../bindings";

import type { AccountQuery_Deserialize } from "../bindings";
/** The table always sends every field of the query. */
export type AccountQuery = Required<AccountQuery_Deserialize>;

// Links, import and export.
export type {
  AccountLink,
  ExportFormat,
  ExportOptions,
  ExportSummary,
  ImportOptions,
  ImportProblem,
  ImportPreview_Serialize as ImportPreview,
  LinkKind,
  LinkListFormat,
  LinkSave,
  LinksSaved,
  PickKind,
  PlanCounts,
  PlanPreview_Serialize as PlanPreview,
  PreviewRow_Serialize as PreviewRow,
  RowError,
  QrImage,
  SourceFormat,
} from "../bindings";

// Bulk operations.
export type {
  BulkAction_Deserialize as BulkAction,
  BulkPlan_Serialize as BulkPlan,
  BulkProgress,
  BulkReport_Serialize as BulkReport,
  BulkRequest_Deserialize as BulkRequest,
  Counts,
  Field_Serialize as Field,
  FieldChange_Serialize as FieldChange,
  FieldValue,
  ItemOp_Serialize as ItemOp,
  ItemRecord_Serialize as ItemRecord,
  ItemState,
  LimitChange,
  OpId,
  OpState,
  OpSummary_Serialize as OpSummary,
  OpTitle_Serialize as OpTitle,
  OpWhat_Serialize as OpWhat,
  PanelPlan_Serialize as PanelPlan,
  PlanItem_Serialize as PlanItem,
  ProxyStatusInput,
  RunMode,
  SkipReason,
} from "../bindings";
