/// Whose turn it is to send: the server's rate-limit headers, the shared pause after a
/// 429 or a used-up quota, the rate token, and under `--rate` the ``SendWindow``; long
/// waits are announced.
extension RequestExecutor {
    /// Rate-limit headers of an answer (the client's `rateLimitObserver`): paces by them.
    package func observe(_ headers: RateLimitHeaders) {
        let now = clock.now()
        let givesUp = state.withLock { s -> Bool in
            guard let pause = s.pacer.observe(headers, now: now), pause > s.notBefore else { return false }
            // A pause longer than labelport waits is not waited: the requests give up, the
            // ones waiting their turn too (woken below), at once.
            guard pause - now <= policy.maxRetryAfter else {
                s.notBefore = pause
                return true
            }
            s.statistics.quotaWaits += 1
            s.statistics.quotaWaitedSeconds += (pause - max(now, s.notBefore)).inSeconds
            s.quotaPauseEnd = pause
            s.notBefore = pause
            s.quotaNotice = "the server's rate-limit headers say its quota is used up (0 remaining): no request is sent until it resets"
            return false
        }
        if givesUp { shutdown.wakeWaiters() }
    }

    /// `waiting N s: why`, when a wait of ``noticeableWait`` or more until `end` begins and
    /// no announced wait is still running; nil otherwise.
    static func noteWait(_ s: inout State, until end: Duration, now: Duration, why: () -> String) -> String? {
        guard end - now >= noticeableWait, now >= s.announcedUntil else { return nil }
        s.announcedUntil = end
        return "waiting \(RetryAfter.seconds(Int((end - now).inSeconds.rounded(.up))).spoken): \(why())"
    }

    /// Waits out the shared 429 pause, then takes a rate token and waits for its instant
    /// (and, under `--rate`, for room in the ``SendWindow``). If a 429 arrives meanwhile,
    /// waits out the new pause and takes a new token.
    func waitForTurn() async throws(Cancelled) {
        turn: while true {
            let now = clock.now()
            let sendAt: Duration? = state.withLock { s in
                if s.notBefore > now { return nil }
                return s.pacer.reserve(now: now)
            }
            guard let sendAt else {
                let (pause, notice) = state.withLock { s -> (Duration, String?) in
                    guard let why = s.quotaNotice, s.notBefore == s.quotaPauseEnd, s.notBefore - now <= policy.maxRetryAfter else { return (s.notBefore, nil) }
                    s.quotaNotice = nil
                    return (s.notBefore, Self.noteWait(&s, until: s.notBefore, now: now) { why })
                }
                if let notice { announce(notice) }
                if pause - now > policy.maxRetryAfter { throw Cancelled(quotaSpent: true) }
                guard await sleep(until: pause) else { throw Cancelled() }
                continue
            }
            if sendAt > now {
                // A slow pace (a few requests a minute) is not a silent one.
                let notice = state.withLock { s in
                    Self.noteWait(&s, until: sendAt, now: now) { "the next request waits its turn at the rate allowed (the server's, or --rate)" }
                }
                if let notice { announce(notice) }
                guard await sleep(until: sendAt) else { throw Cancelled() }
            }
            // A pause that began meanwhile: a new token after it. Else the send window:
            // sends that woke late do not go together with the ones due after them (a
            // send is recorded there only when it goes).
            while true {
                let (paused, room) = state.withLock { s -> (Bool, Duration?) in
                    if s.notBefore > sendAt { return (true, nil) }
                    return (false, s.sendWindow?.admit(now: clock.now()))
                }
                if paused { continue turn }
                guard let room else { return }
                guard await sleep(until: room) else { throw Cancelled() }
            }
        }
    }
}
