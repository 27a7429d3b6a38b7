//! A background fetch's icon in the display: which of the page's icons the UI uses, and a
//! line describing it once fetched (the engine fetches it as the spec says: no-cors, with
//! credentials, bounded in size and time; see `Engine::fetch_image`).

use engine::{FetchedImage, ImageResource};
use std::time::Duration;

/// Icons larger than this are not used.
pub const MAX_ICON_BYTES: usize = 1 << 20;
/// An icon that takes longer is not used.
pub const ICON_TIMEOUT: Duration = Duration::from_secs(10);
/// The size (CSS pixels) a terminal's row stands for: the smallest icon at least this large,
/// else the largest.
const WANTED: u32 = 96;

/// The icon the display uses (the spec leaves the choice to the user agent).
pub fn choose(icons: &[ImageResource]) -> Option<&ImageResource> {
    let size = |i: &ImageResource| i.sizes.as_deref().and_then(largest_size);
    icons
        .iter()
        .filter(|i| size(i).is_some_and(|s| s >= WANTED))
        .min_by_key(|i| size(i))
        .or_else(|| icons.iter().max_by_key(|i| size(i).unwrap_or(0)))
}

/// The largest edge in a `sizes` value (`"48x48 96x96"`: 96; `"any"`: a vector image, as
/// large as wanted).
fn largest_size(sizes: &str) -> Option<u32> {
    sizes
        .split_ascii_whitespace()
        .filter_map(|s| {
            if s.eq_ignore_ascii_case("any") {
                return Some(u32::MAX);
            }
            let (w, h) = s
                .to_ascii_lowercase()
                .split_once('x')
                .map(|(w, h)| (w.to_string(), h.to_string()))?;
            Some(w.parse::<u32>().ok()?.max(h.parse().ok()?))
        })
        .max()
}

/// `https://host/artwork.png (96x96 PNG, 1.2 KiB)`.
pub fn describe(icon: &ImageResource, fetched: &Result<FetchedImage, String>) -> String {
    match fetched {
        Ok(image) if (200..300).contains(&image.status) => {
            let (format, dimensions) = sniff(&image.bytes);
            let declared = icon.sizes.as_deref().unwrap_or("no sizes");
            let what = match (format, dimensions) {
                (Some(f), Some((w, h))) => format!("{w}x{h} {f}"),
                (Some(f), None) => format!("{f}, {declared}"),
                (None, _) => format!(
                    "{}, {declared}",
                    image.content_type.as_deref().unwrap_or("unknown type")
                ),
            };
            format!(
                "{} ({what}, {})",
                icon.src,
                crate::units::format_bytes(image.bytes.len() as u64)
            )
        }
        Ok(image) => format!("{} (not shown: status {})", icon.src, image.status),
        Err(e) => format!("{} (not shown: {e})", icon.src),
    }
}

/// The image format and, where the header says, its pixel size.
fn sniff(bytes: &[u8]) -> (Option<&'static str>, Option<(u32, u32)>) {
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
        return (
            Some("PNG"),
            Some((be32(&bytes[16..20]), be32(&bytes[20..24]))),
        );
    }
    if (bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) && bytes.len() >= 10 {
        let w = u16::from_le_bytes([bytes[6], bytes[7]]) as u32;
        let h = u16::from_le_bytes([bytes[8], bytes[9]]) as u32;
        return (Some("GIF"), Some((w, h)));
    }
    if bytes.starts_with(b"\xff\xd8\xff") {
        return (Some("JPEG"), None);
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return (Some("WebP"), None);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    if head.contains("<svg") {
        return (Some("SVG"), None);
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn icon(src: &str, sizes: Option<&str>) -> ImageResource {
        ImageResource {
            src: src.into(),
            sizes: sizes.map(String::from),
            type_: None,
            label: None,
        }
    }

    #[test]
    fn the_smallest_icon_large_enough_is_chosen() {
        let icons = [
            icon("a", Some("48x48")),
            icon("b", Some("256x256")),
            icon("c", Some("128x128 96x96")),
        ];
        assert_eq!(choose(&icons).unwrap().src, "c");
        let small = [icon("a", Some("16x16")), icon("b", Some("32x32"))];
        assert_eq!(choose(&small).unwrap().src, "b");
        assert_eq!(choose(&[icon("x", None)]).unwrap().src, "x");
        assert!(choose(&[]).is_none());
    }

    #[test]
    fn a_png_header_gives_its_size() {
        let png = crate::demo::site::artwork_png(96);
        let image = FetchedImage {
            url: "https://h/a.png".into(),
            status: 200,
            content_type: Some("image/png".into()),
            bytes: png,
        };
        let text = describe(&icon("https://h/a.png", Some("96x96")), &Ok(image));
        assert!(text.starts_with("https://h/a.png (96x96 PNG, "), "{text}");
    }
}
