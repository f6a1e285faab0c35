//! Unit tests of the follower's rules, fed sections directly.

use super::*;
use crate::testsupport::{pf_event, pf_section, tot_section, EventSpec};

const SID: u16 = 101;
const EID: u16 = 0x1001;
const MJD: u16 = 60401; // 2024-04-01

struct Feed {
    f: Follower,
    stats: Stats,
}

impl Feed {
    fn new() -> Self {
        Feed {
            f: Follower::new(SID, EID),
            stats: Stats::default(),
        }
    }

    fn raw(&mut self, pid: Pid, s: &[u8]) -> Vec<FollowUpdate> {
        self.f.add_section(pid, s, &mut self.stats);
        self.f.drain().collect()
    }

    fn pf(&mut self, version: u8, n: u8, ev: Option<&EventSpec>) -> Vec<FollowUpdate> {
        self.raw(Pid::EIT, &pf_section(0x4E, SID, 0x4010, 4, version, n, ev))
    }

    fn tot(&mut self, h: u8, m: u8, s: u8) {
        assert!(self.raw(Pid::TOT, &tot_section(MJD, h, m, s)).is_empty());
    }
}

fn ev(id: u16, hour: u8, minutes: u32) -> EventSpec {
    pf_event(id, (MJD, hour, 0, 0), Some(minutes * 60), "Title")
}

fn states(u: &[FollowUpdate]) -> Vec<FollowState> {
    u.iter().map(|u| u.state).collect()
}

#[test]
fn absent_needs_both_sections() {
    let mut f = Feed::new();
    assert!(f.pf(1, 0, Some(&ev(1, 17, 60))).is_empty());
    let u = f.pf(1, 1, Some(&ev(2, 18, 60)));
    assert_eq!(states(&u), [FollowState::Absent]);
    assert_eq!(
        (u[0].start, u[0].duration, u[0].title.as_str()),
        (None, None, "")
    );
    assert_eq!(u[0].stream_time, None);
    // Nothing new: no line.
    assert!(f.pf(2, 0, Some(&ev(2, 18, 60))).is_empty());
    assert!(f.pf(2, 1, Some(&ev(3, 19, 60))).is_empty());

    // A present section that announces no following one is enough.
    let mut f = Feed::new();
    let s = crate::testsupport::eit_section(0x4E, SID, 0x4010, 4, 1, 0, 0, 0, 0x4E, &[]);
    assert_eq!(states(&f.raw(Pid::EIT, &s)), [FollowState::Absent]);
}

#[test]
fn following_present_overrun_ended() {
    let mut f = Feed::new();
    f.tot(17, 59, 0);
    let u = f.pf(1, 1, Some(&ev(EID, 18, 60)));
    assert_eq!(states(&u), [FollowState::Following]);
    assert_eq!(u[0].start.unwrap().rfc3339(), "2024-04-01T18:00:00+09:00");
    assert_eq!(u[0].duration, Some(3600));
    assert_eq!(
        u[0].stream_time.unwrap().rfc3339(),
        "2024-04-01T17:59:00+09:00"
    );
    f.tot(18, 0, 5);
    let u = f.pf(2, 0, Some(&ev(EID, 18, 60)));
    assert_eq!(states(&u), [FollowState::Present]);
    assert_eq!(
        u[0].stream_time.unwrap().rfc3339(),
        "2024-04-01T18:00:05+09:00"
    );
    // Its own section 1 going on to the next event changes nothing.
    assert!(f.pf(2, 1, Some(&ev(0x1002, 19, 30))).is_empty());
    // The overrun: a new version with a longer duration.
    let u = f.pf(3, 0, Some(&ev(EID, 18, 90)));
    assert_eq!(states(&u), [FollowState::Present]);
    assert_eq!(u[0].duration, Some(5400));
    // Repeats of it say nothing.
    assert!(f.pf(3, 0, Some(&ev(EID, 18, 90))).is_empty());
    f.tot(19, 30, 0);
    let u = f.pf(4, 0, Some(&ev(0x1002, 19, 30)));
    assert_eq!(states(&u), [FollowState::Ended]);
    assert_eq!(u[0].duration, Some(5400), "the last known timing");
    assert_eq!(
        u[0].stream_time.unwrap().rfc3339(),
        "2024-04-01T19:30:00+09:00"
    );
    assert!(f.f.is_finished());
    // Final: nothing after it.
    assert!(f.pf(5, 0, Some(&ev(EID, 18, 90))).is_empty());
    assert_eq!(f.f.state(), Some(FollowState::Ended));
}

#[test]
fn an_empty_present_section_ends_it() {
    let mut f = Feed::new();
    assert_eq!(
        states(&f.pf(1, 0, Some(&ev(EID, 18, 60)))),
        [FollowState::Present]
    );
    assert_eq!(states(&f.pf(2, 0, None)), [FollowState::Ended]);
}

#[test]
fn present_then_following_again_is_ended() {
    let mut f = Feed::new();
    f.pf(1, 0, Some(&ev(EID, 18, 60)));
    assert_eq!(
        states(&f.pf(2, 0, Some(&ev(0x2000, 18, 10)))),
        [FollowState::Ended]
    );
}

#[test]
fn delayed_start_and_undefined_duration() {
    let mut f = Feed::new();
    let late = pf_event(EID, (MJD, 18, 30, 0), None, "Title");
    assert_eq!(
        states(&f.pf(1, 1, Some(&ev(EID, 18, 60)))),
        [FollowState::Following]
    );
    let u = f.pf(2, 1, Some(&late));
    assert_eq!(states(&u), [FollowState::Following]);
    assert_eq!(u[0].start.unwrap().rfc3339(), "2024-04-01T18:30:00+09:00");
    assert_eq!(u[0].duration, None);
    let u = f.pf(3, 0, Some(&late));
    assert_eq!((u[0].state, u[0].duration), (FollowState::Present, None));
    let defined = pf_event(EID, (MJD, 18, 30, 0), Some(2700), "Title");
    let u = f.pf(4, 0, Some(&defined));
    assert_eq!(
        (u[0].state, u[0].duration),
        (FollowState::Present, Some(2700))
    );
}

#[test]
fn a_title_change_alone_is_no_line_but_shows_in_the_next() {
    let mut f = Feed::new();
    f.pf(1, 0, Some(&ev(EID, 18, 60)));
    let renamed = pf_event(EID, (MJD, 18, 0, 0), Some(3600), "Title [ext]");
    assert!(f.pf(2, 0, Some(&renamed)).is_empty());
    let u = f.pf(3, 0, None);
    assert_eq!(u[0].title, "Title [ext]");
}

#[test]
fn vanished_when_both_sections_agree() {
    let mut f = Feed::new();
    f.pf(1, 0, Some(&ev(1, 17, 60)));
    assert_eq!(
        states(&f.pf(1, 1, Some(&ev(EID, 18, 60)))),
        [FollowState::Following]
    );
    // The new section 1 comes first: no decision yet (section 0 is still version 1).
    assert!(f.pf(2, 1, Some(&ev(3, 19, 60))).is_empty());
    let u = f.pf(2, 0, Some(&ev(1, 17, 60)));
    assert_eq!(states(&u), [FollowState::Vanished]);
    assert_eq!(u[0].start.unwrap().rfc3339(), "2024-04-01T18:00:00+09:00");
}

#[test]
fn following_becomes_present_whatever_section_comes_first() {
    let mut f = Feed::new();
    f.pf(1, 0, Some(&ev(1, 17, 60)));
    f.pf(1, 1, Some(&ev(EID, 18, 60)));
    // At the start, section 1 moves on before section 0 catches up.
    assert!(f.pf(2, 1, Some(&ev(3, 19, 60))).is_empty());
    // A stale repeat of section 0 in between is not yet enough to decide.
    assert!(f.pf(1, 0, Some(&ev(1, 17, 60))).is_empty());
    assert_eq!(
        states(&f.pf(2, 0, Some(&ev(EID, 18, 60)))),
        [FollowState::Present]
    );
}

#[test]
fn vanished_at_once_when_the_event_cannot_be_starting() {
    // Its slot taken by an event that starts no later: at once, whatever section 0 says.
    let mut f = Feed::new();
    f.pf(1, 0, Some(&ev(1, 17, 60)));
    f.pf(1, 1, Some(&ev(EID, 18, 60)));
    let u = f.pf(2, 1, Some(&ev(0x2000, 18, 30)));
    assert_eq!(states(&u), [FollowState::Vanished]);
    // Ten minutes or more ahead of the clock: at once.
    let mut f = Feed::new();
    f.tot(17, 50, 0);
    f.pf(1, 0, Some(&ev(1, 17, 60)));
    f.pf(1, 1, Some(&ev(EID, 18, 60)));
    let u = f.pf(2, 1, Some(&ev(3, 19, 60)));
    assert_eq!(states(&u), [FollowState::Vanished]);
    // Nine minutes ahead, the next event after it: it may be starting, so wait.
    let mut f = Feed::new();
    f.tot(17, 51, 0);
    f.pf(1, 0, Some(&ev(1, 17, 60)));
    f.pf(1, 1, Some(&ev(EID, 18, 60)));
    assert!(f.pf(2, 1, Some(&ev(3, 19, 60))).is_empty());
    assert_eq!(
        states(&f.pf(2, 0, Some(&ev(EID, 18, 60)))),
        [FollowState::Present]
    );
}

#[test]
fn vanished_confirmed_by_repeats_when_versions_never_agree() {
    let mut f = Feed::new();
    f.pf(7, 0, Some(&ev(1, 17, 60)));
    f.pf(1, 1, Some(&ev(EID, 18, 60)));
    assert!(f.pf(2, 1, Some(&ev(3, 19, 60))).is_empty()); // 1
    assert!(f.pf(7, 0, Some(&ev(1, 17, 60))).is_empty()); // 2 (repeat)
    let u = f.pf(2, 1, Some(&ev(3, 19, 60))); // 3 (repeat)
    assert_eq!(states(&u), [FollowState::Vanished]);
}

#[test]
fn other_services_schedules_and_other_pids_for_tot_are_ignored() {
    let mut f = Feed::new();
    let s = pf_section(0x4E, 102, 0x4010, 4, 1, 0, Some(&ev(EID, 18, 60)));
    assert!(f.raw(Pid::EIT, &s).is_empty());
    let s = pf_section(0x50, SID, 0x4010, 4, 1, 0, Some(&ev(EID, 18, 60)));
    assert!(f.raw(Pid::EIT, &s).is_empty());
    assert!(!f.f.pf_seen());
    // A TOT-looking section on the EIT PID is not the clock.
    assert!(f.raw(Pid::EIT, &tot_section(MJD, 1, 2, 3)).is_empty());
    assert_eq!(f.f.stream_time(), None);
}

#[test]
fn other_ts_pf_is_followed_and_actual_takes_over() {
    let mut f = Feed::new();
    let other = |v, n, e: &EventSpec| pf_section(0x4F, SID, 0x4011, 4, v, n, Some(e));
    let u = f.raw(Pid::EIT, &other(1, 1, &ev(EID, 18, 60)));
    assert_eq!(states(&u), [FollowState::Following]);
    assert_eq!(
        (u[0].original_network_id, u[0].transport_stream_id),
        (4, 0x4011)
    );
    let u = f.pf(9, 0, Some(&ev(EID, 18, 60)));
    assert_eq!(states(&u), [FollowState::Present]);
    assert_eq!(u[0].transport_stream_id, 0x4010);
    // The other-TS copy is no longer listened to.
    assert!(f.raw(Pid::EIT, &other(2, 0, &ev(5, 19, 60))).is_empty());
}

#[test]
fn dvb_times_are_utc_and_titles_dvb_text() {
    let mut f = Feed::new();
    let e = EventSpec {
        event_id: EID,
        start: crate::testsupport::start_time(MJD, 18, 0, 0),
        duration: crate::testsupport::duration(600),
        descriptors: crate::testsupport::short_event(b"Pointless", b""),
    };
    let s = pf_section(0x4E, SID, 0x1000, 0x233A, 1, 0, Some(&e));
    f.tot(17, 0, 0);
    let u = f.raw(Pid::EIT, &s);
    assert_eq!(u[0].title, "Pointless");
    assert_eq!(u[0].start.unwrap().rfc3339(), "2024-04-01T18:00:00+00:00");
    assert_eq!(
        f.f.stream_time().unwrap().rfc3339(),
        "2024-04-01T17:00:00+00:00"
    );
}

#[test]
fn clock_and_starts_within() {
    let mut f = Feed::new();
    assert_eq!(f.f.stream_seconds(), None);
    f.tot(17, 59, 0);
    f.pf(1, 1, Some(&ev(EID, 18, 60)));
    assert!(!f.f.starts_within(35));
    f.tot(17, 59, 25);
    assert!(!f.f.starts_within(35), "35 s ahead exactly is not within");
    f.tot(17, 59, 26);
    assert!(f.f.starts_within(35));
    assert_eq!(f.f.stream_seconds(), Some(26));
    // A clock that jumps back never counts negative.
    f.tot(17, 0, 0);
    assert_eq!(f.f.stream_seconds(), Some(0));
}

#[test]
fn the_json_line_has_exactly_the_contract_keys() {
    let mut f = Feed::new();
    f.tot(21, 20, 0);
    let u = f.pf(
        1,
        0,
        Some(&pf_event(4097, (MJD, 18, 0, 0), Some(12600), "野球")),
    );
    assert_eq!(
        serde_json::to_string(&u[0]).unwrap(),
        r#"{"sid":101,"event_id":4097,"state":"present","start":"2024-04-01T18:00:00+09:00","duration":12600,"title":"野球","stream_time":"2024-04-01T21:20:00+09:00"}"#
    );
}

#[test]
fn pending_updates_are_capped_and_counted() {
    let mut f = Feed::new();
    let n = MAX_PENDING + 10;
    for i in 0..n {
        let e = pf_event(EID, (MJD, 18, 0, 0), Some(60 + i as u32), "t");
        let s = pf_section(0x4E, SID, 0x4010, 4, (i % 32) as u8, 0, Some(&e));
        f.f.add_section(Pid::EIT, &s, &mut f.stats);
    }
    assert_eq!(f.f.dropped_updates(), 10);
    let u: Vec<_> = f.f.drain().collect();
    assert_eq!(u.len(), MAX_PENDING);
    assert_eq!(u.last().unwrap().duration, Some(60 + n as u32 - 1));
}
