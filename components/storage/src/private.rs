//! A profile is private to the account that owns it: its folders are created `0700` and its
//! files `0600` (request bodies, response bodies, URLs and titles in the database are the
//! user's data), and a profile an older build left readable by others is made private when
//! it is opened. On platforms without Unix modes these are the plain calls.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

#[cfg(unix)]
const DIR_MODE: u32 = 0o700;
#[cfg(unix)]
const FILE_MODE: u32 = 0o600;

/// `create_dir_all`, every folder it creates `0700`.
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(path)
}

/// Options that create a file `0600` (an existing file keeps its mode).
pub fn open_options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    options
}

/// `File::create`, `0600`.
pub fn create_file(path: &Path) -> io::Result<File> {
    open_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

/// `fs::write` through a `0600` file.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    create_file(path)?.write_all(bytes)
}

/// Makes `root` and everything under it private (folders `0700`, files `0600`), and says in
/// the log how many entries were readable by others. Symbolic links are not followed.
pub fn make_private(root: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let mut first = None;
        let fixed = fix_modes(root, &mut first)?;
        if let Some(first) = first {
            log::warn!(
                target: "bgfetch",
                "{}: {fixed} files or folders of the profile (such as {}) were open to other accounts; they are private now",
                root.display(),
                first.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = root;
    Ok(())
}

/// Removes group and other permissions under `path`; returns how many entries changed.
#[cfg(unix)]
fn fix_modes(path: &Path, first: &mut Option<std::path::PathBuf>) -> io::Result<usize> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Ok(0);
    }
    let mut fixed = 0;
    let mode = meta.permissions().mode() & 0o7777;
    let wanted = if meta.is_dir() { DIR_MODE } else { FILE_MODE };
    if mode & 0o077 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(wanted))?;
        first.get_or_insert_with(|| path.to_path_buf());
        fixed += 1;
    }
    if meta.is_dir() {
        for entry in std::fs::read_dir(path)? {
            fixed += fix_modes(&entry?.path(), first)?;
        }
    }
    Ok(fixed)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn created_private_and_fixed_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("profile");
        create_dir_all(&root.join("a/b")).unwrap();
        write(&root.join("a/b/file"), b"secret").unwrap();
        assert_eq!(mode(&root), 0o700);
        assert_eq!(mode(&root.join("a/b")), 0o700);
        assert_eq!(mode(&root.join("a/b/file")), 0o600);
        // What an older build left behind.
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
        let file = root.join("a/b/file");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(fix_modes(&root, &mut None).unwrap(), 2);
        assert_eq!(mode(&root), 0o700);
        assert_eq!(mode(&file), 0o600);
        assert_eq!(fix_modes(&root, &mut None).unwrap(), 0);
    }
}
