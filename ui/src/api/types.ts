// The generated bindings describe each type twice: as Rust sends it (`_Serialize`) and as Rust
// accepts it (`_Deserialize`). The UI reads the first and sends the second.
export type {
  ApiError_Serialize as ApiError,
  AppInfo,
  CredentialsInput_Deserialize as CredentialsInput,
  ErrorCode,
  FieldError,
  PanelId,
  PanelInput_Deserialize as PanelInput,
  PanelKind,
  PanelView_Serialize as PanelView,
  ProbeInfo_Serialize as ProbeInfo,
} from "../bindings";
