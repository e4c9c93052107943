#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
// Glibc imports RUSAGE_SELF and RUSAGE_CHILDREN as enum cases while getrusage takes an Int32.
private let usageOfSelf = __rusage_who_t(RUSAGE_SELF.rawValue)
private let usageOfChildren = __rusage_who_t(RUSAGE_CHILDREN.rawValue)
#else
private let usageOfSelf = RUSAGE_SELF
private let usageOfChildren = RUSAGE_CHILDREN
#endif

/// The peak resident set size of this process so far, in KiB (`getrusage(RUSAGE_SELF)`).
///
/// It is a high-water mark for the whole process: it never goes down, so a workload's own peak
/// is only visible when nothing before it used more.
func peakRSSKiB() -> Int {
    var usage = rusage()
    guard getrusage(usageOfSelf, &usage) == 0 else { return 0 }
    #if canImport(Darwin)
    return Int(usage.ru_maxrss) / 1024  // bytes on Darwin
    #else
    return Int(usage.ru_maxrss)  // KiB on Linux
    #endif
}

/// User plus system CPU time, in seconds, of this process (all its threads) or of its finished
/// children. CPU time per operation moves much less with the machine's load than wall time.
func cpuSeconds(ofChildren: Bool = false) -> Double {
    var usage = rusage()
    guard getrusage(ofChildren ? usageOfChildren : usageOfSelf, &usage) == 0 else { return 0 }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Context switches, voluntary and not, of this process (all its threads) or of its finished
/// children. A thread that waits for another (a caller for its event loop, an event loop for
/// the socket) and is woken again is switched out and in once: per operation, the count is a
/// measure of the hops a statement takes.
func contextSwitches(ofChildren: Bool = false) -> Int {
    var usage = rusage()
    guard getrusage(ofChildren ? usageOfChildren : usageOfSelf, &usage) == 0 else { return 0 }
    return Int(usage.ru_nvcsw) + Int(usage.ru_nivcsw)
}
