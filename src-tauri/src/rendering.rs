//! How the webview paints on Linux.
//!
//! WebKitGTK composites the page with OpenGL. On a machine without a GPU (a VM, a remote
//! desktop, a server with Xvfb) Mesa runs that OpenGL on the CPU (llvmpipe), and compositing
//! then costs more than painting: scrolling the 100,000-row table, llvmpipe took over half of
//! all CPU and the X server got a new frame every 26-39 ms (max 53-93 ms). With WebKit's plain
//! software painting it gets one every 17 ms (max 25-43 ms). So without a GPU, compositing is
//! turned off.

use std::path::Path;

/// WebKitGTK's own switch; whoever sets it themselves keeps their choice.
const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// What [`choose`] decided, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Painting {
    /// WebKit's default: OpenGL compositing (a GPU render node exists).
    Composited,
    /// No GPU: WebKit paints in software without compositing.
    SoftwareWithoutGpu,
    /// The user set `WEBKIT_DISABLE_COMPOSITING_MODE`; left as they set it.
    UserChoice,
}

/// Picks the painting mode before the webview starts. Must run before any thread is spawned:
/// it may set an environment variable, which the web process inherits.
pub fn choose() -> Painting {
    if !cfg!(target_os = "linux") {
        return Painting::Composited;
    }
    if std::env::var_os(DISABLE_COMPOSITING).is_some() {
        return Painting::UserChoice;
    }
    let software_gl = std::env::var_os("LIBGL_ALWAYS_SOFTWARE").is_some_and(|v| v != "0");
    if has_gpu_render_node(Path::new("/dev/dri")) && !software_gl {
        return Painting::Composited;
    }
    std::env::set_var(DISABLE_COMPOSITING, "1");
    Painting::SoftwareWithoutGpu
}

/// A DRM render node (`/dev/dri/renderD128`, …) is what Mesa needs to draw with a GPU.
fn has_gpu_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_means_a_gpu() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        assert!(!has_gpu_render_node(&dir.path().join("missing")));
        assert!(!has_gpu_render_node(dir.path()));
        std::fs::write(dir.path().join("card0"), b"").unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !has_gpu_render_node(dir.path()),
            "a card node alone is not for rendering"
        );
        std::fs::write(dir.path().join("renderD128"), b"").unwrap_or_else(|e| panic!("{e}"));
        assert!(has_gpu_render_node(dir.path()));
    }
}
