//! QR codes of links, drawn from the module matrix: SVG (one path, `crispEdges`, scales to any
//! size without blur) and PNG (8-bit greyscale, `scale` pixels per module). Both keep the
//! standard quiet zone of 4 modules.

use qrcode::{Color, EcLevel, QrCode};

use crate::error::{CoreError, Result};

/// Modules of white border around the code.
pub const QUIET_ZONE: usize = 4;

/// The module matrix (true = dark) and its width.
fn matrix(text: &str) -> Result<(Vec<bool>, usize)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L))
        .map_err(|e| CoreError::invalid(format!("this text cannot be put in a QR code: {e}")))?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Ok((dark, width))
}

/// The QR code of `text` as a standalone SVG document.
pub fn qr_svg(text: &str) -> Result<String> {
    let (dark, width) = matrix(text)?;
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(dark.len() * 4);
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if dark[y * width + x] {
                let start = x;
                while x < width && dark[y * width + x] {
                    x += 1;
                }
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// The QR code of `text` as PNG bytes, `scale` (1–64) pixels per module.
pub fn qr_png(text: &str, scale: u32) -> Result<Vec<u8>> {
    let (dark, width) = matrix(text)?;
    let scale = scale.clamp(1, 64) as usize;
    let side = (width + 2 * QUIET_ZONE) * scale;
    let mut pixels = vec![255u8; side * side];
    for y in 0..width {
        for x in 0..width {
            if dark[y * width + x] {
                let px = (x + QUIET_ZONE) * scale;
                let py = (y + QUIET_ZONE) * scale;
                for row in py..py + scale {
                    pixels[row * side + px..row * side + px + scale].fill(0);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let side32 = u32::try_from(side).unwrap_or(u32::MAX);
        let mut enc = png::Encoder::new(&mut out, side32, side32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc
            .write_header()
            .map_err(|e| CoreError::Internal(format!("PNG header: {e}")))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| CoreError::Internal(format!("PNG data: {e}")))?;
    }
    Ok(out)
}
