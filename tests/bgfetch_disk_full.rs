//! A full disk mid-download (issue 16): the profile lives on a small tmpfs this test mounts
//! (as root; without the right to mount, the test says so and checks nothing). The record
//! fails with `quota-exceeded` as the spec's storage step says for bytes that do not fit,
//! the fetch settles and its event comes, the space goes back, a later fetch succeeds,
//! and the profile opens again afterwards: that fetch's event comes again, its record whole.

mod support;

use net_traits::*;
use support::bgfetch::*;

/// A tmpfs mounted for the test, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(bytes: u64) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}")])
            .arg("tmpfs")
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then_some(SmallDisk { dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_full_disk_fails_the_record_with_quota_exceeded_and_breaks_nothing() {
    let Some(disk) = SmallDisk::mount(24 << 20) else {
        eprintln!("skipped: cannot mount a tmpfs here (the test needs root)");
        return;
    };
    let profile = disk.dir.path().join("profile");
    let server = server();
    let mut cfg = config(&server, &profile);
    // The origin's quota is far above the disk: the disk fills first.
    cfg.quota_per_origin = Some(1 << 30);
    let mut c = start(&server, cfg.clone());
    let big = format!("{}/_faults/body?size={}&seed=4", c.origin, 64u64 << 20);
    let reg = c.fetch("too-big", &[big], 0).unwrap();
    let done = c.wait_settled(reg.uid);
    assert_eq!(done.result, FetchResult::Failure, "{done:?}");
    assert_eq!(
        done.failure_reason,
        FailureReason::QuotaExceeded,
        "{done:?}"
    );
    c.complete_event(reg.uid);
    // The space came back: a fetch that fits succeeds, byte for byte.
    let small = format!("{}/_faults/body?size={}&seed=5", c.origin, 2u64 << 20);
    let reg = c.fetch("fits", &[small], 0).unwrap();
    let done = c.wait_settled(reg.uid);
    assert_eq!(done.result, FetchResult::Success, "{done:?}");
    assert!(c.read_body(reg.uid, 0).unwrap() == expected(5, 2 << 20));
    c.shutdown();
    // The profile opens again: the finished fetch's event (never completed here) comes
    // again, and its record is whole.
    let mut c = start(&server, cfg);
    c.wait_event(reg.uid);
    assert!(c.read_body(reg.uid, 0).unwrap() == expected(5, 2 << 20));
    c.shutdown();
}
