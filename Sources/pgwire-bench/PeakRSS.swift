#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
// Glibc imports RUSAGE_SELF as an enum case while getrusage takes its raw Int32.
private let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

/// The peak resident set size of this process so far, in KiB (`getrusage(RUSAGE_SELF)`).
///
/// It is a high-water mark for the whole process: it never goes down, so a workload's own peak
/// is only visible when nothing before it used more.
func peakRSSKiB() -> Int {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF_WHO, &usage) == 0 else { return 0 }
    #if canImport(Darwin)
    return Int(usage.ru_maxrss) / 1024  // bytes on Darwin
    #else
    return Int(usage.ru_maxrss)  // KiB on Linux
    #endif
}
