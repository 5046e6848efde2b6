//! Long jobs besides bulk runs (account export, link and QR files): each has an id the UI
//! picks, streams `JobProgressed` under it, and stops on `job_cancel`.

use paneldeck_core::{bulk::OpId, jobs::Job};
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::{events::JobProgressed, Backend};

/// A [`Job`] whose steps reach the UI as `JobProgressed { jobId }`.
pub fn job(app: AppHandle, job_id: &str, cancel: paneldeck_core::jobs::CancelToken) -> Job {
    let id = job_id.to_owned();
    Job::new(
        move |step| {
            let _ = JobProgressed {
                job_id: id.clone(),
                step,
            }
            .emit(&app);
        },
        cancel,
    )
}

/// The registry key of a job (jobs share the bulk runs' registry type, not its map).
pub fn job_key(job_id: &str) -> OpId {
    OpId(job_id.to_owned())
}

/// Asks a running job to stop; it writes nothing. False when it is not running.
#[tauri::command]
#[specta::specta]
pub fn job_cancel(backend: State<'_, Backend>, job_id: String) -> bool {
    backend.jobs().cancel(&job_key(&job_id))
}
