/// How long to wait before the next attempt after consecutive failures: `initial` after the
/// first, doubling with each further failure up to `maximum`, then shortened by a random part of
/// up to `jitter` (a fraction) so that many clients do not retry in step. A pure value: the
/// random number comes in as an argument.
///
/// Shared by the pool's connect backoff and ``PGListener``'s reconnects.
package struct PGBackoff: Sendable, Hashable {
    /// The wait after the first failure.
    package var initial: Duration
    /// The longest wait.
    package var maximum: Duration
    /// The largest part of a wait that jitter may take off, from 0 (none) to 1.
    package var jitter: Double

    /// Creates a backoff; `jitter` is clamped to 0...1. A `maximum` below `initial` caps every
    /// wait at `maximum`.
    package init(initial: Duration, maximum: Duration, jitter: Double = 0.25) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The wait after `failures` consecutive failures (1 for the first); `random` is a number in
    /// 0..<1 (out-of-range values are clamped).
    package func delay(failures: Int, random: Double) -> Duration {
        var delay = initial
        var step = 1
        while step < failures && delay < maximum {
            delay *= 2
            step += 1
        }
        delay = min(delay, maximum)
        return delay - delay * (jitter * min(max(random, 0), 1))
    }
}
