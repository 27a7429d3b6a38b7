//! The demo's sample site, written to a temporary folder the built-in server serves: the
//! page and its script, the service worker (`components/shell/demo-site/`), and artwork made
//! here. The episode itself is not a file: the server's `/_faults/body` generates it on the
//! fly (byte `i` is `wpt::faults::body_byte(seed, i)`), so its checksum is known in advance.

use std::io::Write;
use std::path::Path;

/// The demo site's host (mapped to 127.0.0.1 for the engine only).
pub const HOST: &str = "demo.bgfetch.test";
/// The background fetch's id.
pub const FETCH_ID: &str = "episode-1";
/// Its title (the service worker's `updateUI` changes it once the episode is stored).
pub const TITLE: &str = "Episode 1: Fetching in the background";
/// Which deterministic body the episode is.
pub const SEED: u64 = 13;

/// The episode the page asks for.
#[derive(Clone, Debug)]
pub struct Episode {
    pub size: u64,
    pub seed: u64,
    /// Bytes per second the server sends at most.
    pub rate: Option<u64>,
}

impl Episode {
    /// Its path on the server (`key=episode`: the server counts its requests and Ranges).
    pub fn path(&self) -> String {
        let mut path = format!(
            "/_faults/body?size={}&seed={}&key=episode",
            self.size, self.seed
        );
        if let Some(rate) = self.rate {
            path.push_str(&format!("&rate={rate}"));
        }
        path
    }

    /// The argument of the page's `startEpisode()`.
    pub fn start_argument(&self) -> String {
        serde_json::json!({
            "id": FETCH_ID,
            "url": self.path(),
            "size": self.size,
            "title": TITLE,
            "icons": [
                {"src": "/artwork-96.png", "sizes": "96x96", "type": "image/png"},
                {"src": "/artwork-256.png", "sizes": "256x256", "type": "image/png"},
            ],
        })
        .to_string()
    }
}

/// Writes the site into `dir`.
pub fn write(dir: &Path) -> std::io::Result<()> {
    let files: [(&str, Vec<u8>); 6] = [
        (
            "index.html",
            include_bytes!("../../demo-site/index.html").to_vec(),
        ),
        ("app.js", include_bytes!("../../demo-site/app.js").to_vec()),
        ("sw.js", include_bytes!("../../demo-site/sw.js").to_vec()),
        ("artwork-96.png", artwork_png(96)),
        ("artwork-256.png", artwork_png(256)),
        ("artwork-done-96.png", artwork_done_png(96)),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}

/// The episode's artwork: a square with a sound wave, `size` pixels wide.
pub fn artwork_png(size: u32) -> Vec<u8> {
    png(size, |x, y| {
        let (fx, fy) = (x as f64 / size as f64, y as f64 / size as f64);
        let wave = 0.5 + 0.25 * (fx * std::f64::consts::TAU * 3.0).sin() * (1.0 - fx);
        if (fy - wave).abs() < 0.03 {
            [250, 250, 250]
        } else {
            [(40.0 + 120.0 * fx) as u8, (60.0 + 80.0 * fy) as u8, 150]
        }
    })
}

/// The artwork once the episode is stored: the same wave on green.
fn artwork_done_png(size: u32) -> Vec<u8> {
    png(size, |x, y| {
        let (fx, fy) = (x as f64 / size as f64, y as f64 / size as f64);
        let wave = 0.5 + 0.25 * (fx * std::f64::consts::TAU * 3.0).sin() * (1.0 - fx);
        if (fy - wave).abs() < 0.03 {
            [250, 250, 250]
        } else {
            [30, (120.0 + 80.0 * fy) as u8, (60.0 + 60.0 * fx) as u8]
        }
    })
}

/// A truecolour PNG of `size` x `size` pixels.
fn png(size: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let mut raw = Vec::with_capacity((size * (size * 3 + 1)) as usize);
    for y in 0..size {
        raw.push(0); // filter: none
        for x in 0..size {
            raw.extend_from_slice(&pixel(x, y));
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = z.write_all(&raw);
    let idat = z.finish().unwrap_or_default();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", ihdr), (b"IDAT", idat), (b"IEND", Vec::new())] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(&data);
        out.extend_from_slice(kind);
        out.extend_from_slice(&data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    out
}
