//! `GET /panel/api/server/status` with the keys of `Status` per version (facts §5.2,
//! `HEAD:internal/web/service/server.go`): `loads[]` (never a `load` object),
//! `panelVersion` from v3.1.0, `panelGuid`/disk I/O/packet counters from v3.3.0.

use axum::{extract::State, response::Response};
use serde_json::json;

use super::{answer, lock, Shared};

const GIB: u64 = 1 << 30;

pub async fn status(State(s): State<Shared>) -> Response {
    let state = lock(&s);
    let v = state.version;
    let connections = state.online.len() as u64 * 3;
    let mut obj = json!({
        "cpu": 12.5,
        "cpuCores": 4,
        "logicalPro": 8,
        "cpuSpeedMhz": 2400.0,
        "mem": { "current": 2 * GIB, "total": 8 * GIB },
        "swap": { "current": 0, "total": 4 * GIB },
        "disk": { "current": 50 * GIB, "total": 250 * GIB },
        "xray": { "state": "running", "errorMsg": "", "version": v.xray_version() },
        "uptime": 864_000,
        "loads": [0.5, 0.3, 0.2],
        "tcpCount": connections,
        "udpCount": connections / 3,
        "netIO": { "up": 1_048_576, "down": 2_097_152 },
        "netTraffic": { "sent": GIB, "recv": 2 * GIB },
        "publicIP": { "ipv4": "203.0.113.10", "ipv6": "" },
        "appStats": { "threads": 24, "mem": 96 * 1_048_576u64, "uptime": 86_400 },
    });
    if let Some(panel_version) = v.panel_version() {
        obj["panelVersion"] = json!(panel_version);
    }
    if v.v3_3_0() {
        obj["panelGuid"] = json!(state.guid);
        obj["diskIO"] = json!({ "read": 4096, "write": 8192 });
        obj["diskTraffic"] = json!({ "read": 10 * GIB, "write": 20 * GIB });
        obj["netIO"]["pktUp"] = json!(900);
        obj["netIO"]["pktDown"] = json!(1_500);
        obj["netTraffic"]["pktSent"] = json!(1_000_000);
        obj["netTraffic"]["pktRecv"] = json!(2_000_000);
    }
    answer(Ok(obj))
}
