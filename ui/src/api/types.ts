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
  AccountStatus,
  ActionOutcome_Serialize as ActionOutcome,
  ApiError_Serialize as ApiError,
  AppInfo,
  Capabilities,
  CreateOptions_Serialize as CreateOptions,
  CredentialsInput_Deserialize as CredentialsInput,
  Dashboard_Serialize as Dashboard,
  ErrorCode,
  ExpiryInput,
  FieldError,
  NewAccount_Deserialize as NewAccount,
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
