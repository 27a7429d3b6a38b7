//! <https://fetch.spec.whatwg.org/#handle-content-codings>: decoding a response body's
//! `Content-Encoding` (gzip, x-gzip, deflate, br) as it streams in, for `fetch()`.
//! Background fetch asks for identity (its Range resumes count stored bytes).

use std::io::Write;

/// The value of `Accept-Encoding` the user agent sends with `fetch()` requests.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br";

/// A streaming decoder for one response body.
pub enum Decoder {
    Identity,
    Gzip(Box<flate2::write::GzDecoder<Vec<u8>>>),
    /// HTTP "deflate" is the zlib format (RFC 9110 §8.4.1.2).
    Deflate(Box<flate2::write::ZlibDecoder<Vec<u8>>>),
    Brotli(Box<brotli_decompressor::DecompressorWriter<Vec<u8>>>),
}

impl Decoder {
    /// The decoder for a `Content-Encoding` header value. Fetch's "handle content codings":
    /// only a single known coding is decoded; anything else (identity, unknown, or several
    /// codings) leaves the bytes as they are.
    pub fn for_content_encoding(value: Option<&str>) -> Decoder {
        let Some(value) = value else {
            return Decoder::Identity;
        };
        let codings: Vec<String> = value
            .split(',')
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty())
            .collect();
        match codings.as_slice() {
            [c] if c == "gzip" || c == "x-gzip" => {
                Decoder::Gzip(Box::new(flate2::write::GzDecoder::new(Vec::new())))
            }
            [c] if c == "deflate" => {
                Decoder::Deflate(Box::new(flate2::write::ZlibDecoder::new(Vec::new())))
            }
            [c] if c == "br" => Decoder::Brotli(Box::new(
                brotli_decompressor::DecompressorWriter::new(Vec::new(), 16 * 1024),
            )),
            _ => Decoder::Identity,
        }
    }

    /// Decodes `input`, returning the bytes it produced so far.
    pub fn push(&mut self, input: &[u8]) -> Result<Vec<u8>, String> {
        fn take(out: &mut Vec<u8>) -> Vec<u8> {
            std::mem::take(out)
        }
        let bad = |e: std::io::Error| format!("the response body's content coding is invalid: {e}");
        match self {
            Decoder::Identity => Ok(input.to_vec()),
            Decoder::Gzip(d) => {
                d.write_all(input).map_err(bad)?;
                Ok(take(d.get_mut()))
            }
            Decoder::Deflate(d) => {
                d.write_all(input).map_err(bad)?;
                Ok(take(d.get_mut()))
            }
            Decoder::Brotli(d) => {
                d.write_all(input).map_err(bad)?;
                Ok(take(d.get_mut()))
            }
        }
    }

    /// The body ended: the rest of the output, or an error if the coded stream is truncated.
    pub fn finish(&mut self) -> Result<Vec<u8>, String> {
        let bad =
            |e: std::io::Error| format!("the response body's content coding is truncated: {e}");
        match self {
            Decoder::Identity => Ok(Vec::new()),
            Decoder::Gzip(d) => {
                d.try_finish().map_err(bad)?;
                Ok(std::mem::take(d.get_mut()))
            }
            Decoder::Deflate(d) => {
                d.try_finish().map_err(bad)?;
                Ok(std::mem::take(d.get_mut()))
            }
            Decoder::Brotli(d) => {
                d.close().map_err(bad)?;
                Ok(std::mem::take(d.get_mut()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn decode_in_chunks(mut d: Decoder, coded: &[u8], chunk: usize) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        for c in coded.chunks(chunk) {
            out.extend(d.push(c)?);
        }
        out.extend(d.finish()?);
        Ok(out)
    }

    #[test]
    fn gzip_and_deflate_stream() {
        let data: Vec<u8> = (0..100_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let coded = gzip(&data);
        for chunk in [1, 7, 4096, coded.len()] {
            let d = Decoder::for_content_encoding(Some("GZIP"));
            assert_eq!(
                decode_in_chunks(d, &coded, chunk).unwrap(),
                data,
                "chunk {chunk}"
            );
        }
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&data).unwrap();
        let coded = z.finish().unwrap();
        let d = Decoder::for_content_encoding(Some("deflate"));
        assert_eq!(decode_in_chunks(d, &coded, 1000).unwrap(), data);
    }

    #[test]
    fn brotli() {
        // "hello" compressed by the reference encoder (quality 11).
        let coded = [0x0b, 0x02, 0x80, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x03];
        let d = Decoder::for_content_encoding(Some("br"));
        assert_eq!(decode_in_chunks(d, &coded, 2).unwrap(), b"hello");
    }

    #[test]
    fn truncated_and_invalid_streams_are_errors() {
        let coded = gzip(b"some text that is long enough to matter");
        let d = Decoder::for_content_encoding(Some("gzip"));
        assert!(decode_in_chunks(d, &coded[..coded.len() - 4], 8).is_err());
        let d = Decoder::for_content_encoding(Some("gzip"));
        assert!(decode_in_chunks(d, b"not gzip at all", 4).is_err());
        let d = Decoder::for_content_encoding(Some("br"));
        assert!(decode_in_chunks(d, &[0xff, 0xff, 0xff, 0xff], 4).is_err());
    }

    #[test]
    fn unknown_or_stacked_codings_pass_through() {
        for v in [
            None,
            Some("identity"),
            Some("compress"),
            Some("gzip, br"),
            Some(""),
        ] {
            let d = Decoder::for_content_encoding(v);
            assert_eq!(decode_in_chunks(d, b"raw", 1).unwrap(), b"raw", "{v:?}");
        }
    }
}
