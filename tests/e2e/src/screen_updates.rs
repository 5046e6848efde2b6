//! When the X server's screen actually changed, seen through the DAMAGE extension.
//!
//! A page's `requestAnimationFrame` callbacks do not always match what is drawn: without
//! compositing, WebKit runs them on a timer and paints separately. The scroll benchmark
//! therefore times frames by the screen updates the X server received.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    thread::JoinHandle,
    time::Duration,
};

use x11rb::{
    connection::Connection,
    protocol::{
        damage::{ConnectionExt as _, ReportLevel},
        Event,
    },
};

use crate::{epoch_ms, Result};

/// Collects what was drawn on the screen, and when, until [`ScreenUpdates::stop`].
pub struct ScreenUpdates {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Result<Vec<Draw>>>,
}

/// One drawing request the X server reported.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Draw {
    /// Milliseconds since the Unix epoch, the clock `performance.timeOrigin` uses.
    pub at_ms: f64,
    pub width: u16,
    pub height: u16,
}

/// Draws closer together than this are one frame (a frame reaches X as several requests).
const SAME_FRAME_MS: f64 = 4.0;

impl ScreenUpdates {
    /// Starts watching the root window of `$DISPLAY`.
    pub fn watch() -> Result<Self> {
        let (conn, screen) = x11rb::connect(None).map_err(|e| format!("X display: {e}"))?;
        let root = conn.setup().roots[screen].root;
        conn.damage_query_version(1, 1)
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| format!("the X server has no DAMAGE extension: {e}"))?;
        let damage = conn.generate_id().map_err(|e| e.to_string())?;
        // Every drawing request is reported, so no update is merged away between two reads.
        conn.damage_create(damage, root, ReportLevel::RAW_RECTANGLES)
            .map_err(|e| e.to_string())?;
        conn.flush().map_err(|e| e.to_string())?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut draws = Vec::new();
            while !stopped.load(Ordering::Relaxed) {
                match conn.poll_for_event().map_err(|e| e.to_string())? {
                    Some(Event::DamageNotify(d)) => draws.push(Draw {
                        at_ms: epoch_ms(),
                        width: d.area.width,
                        height: d.area.height,
                    }),
                    Some(_) => {}
                    None => std::thread::sleep(Duration::from_micros(200)),
                }
            }
            Ok(draws)
        });
        Ok(Self { stop, thread })
    }

    /// Stops watching; returns every draw, in order.
    pub fn stop(self) -> Result<Vec<Draw>> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread
            .join()
            .map_err(|_| "the screen watcher panicked".to_string())?
    }
}

/// The start of each frame that redrew an area of at least `width` × `height` pixels (other
/// draws, such as a scrollbar fading, are not frames of it): a draw after a quiet gap of more
/// than [`SAME_FRAME_MS`] starts a new frame.
pub fn frames(draws: &[Draw], width: u16, height: u16) -> Vec<f64> {
    let mut starts: Vec<f64> = Vec::new();
    let mut last = f64::NEG_INFINITY;
    for d in draws
        .iter()
        .filter(|d| d.width >= width && d.height >= height)
    {
        if d.at_ms - last > SAME_FRAME_MS {
            starts.push(d.at_ms);
        }
        last = d.at_ms;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(at_ms: f64, width: u16, height: u16) -> Draw {
        Draw {
            at_ms,
            width,
            height,
        }
    }

    #[test]
    fn draws_close_together_are_one_frame() {
        let draws = [
            draw(100.0, 500, 300),
            draw(101.0, 500, 300),
            draw(103.5, 20, 300),
            draw(106.0, 500, 300),
            draw(120.0, 800, 600),
            draw(200.0, 500, 300),
        ];
        // The scrollbar-sized draw at 103.5 neither counts nor joins 101 and 106 into one frame.
        assert_eq!(frames(&draws, 500, 300), vec![100.0, 106.0, 120.0, 200.0]);
        assert_eq!(frames(&draws, 600, 300), vec![120.0]);
        assert!(frames(&[], 1, 1).is_empty());
    }
}
