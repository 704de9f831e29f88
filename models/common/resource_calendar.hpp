// Reservation calendar of one shared resource (a bus, an array, an NLF unit, a mesh link) in
// a loosely timed model. Requests arrive in issue order, which in a pipelined schedule is not
// their time order. A request may therefore take an idle gap before reservations made
// earlier (backfilling) instead of queueing behind the latest one. With requests in time
// order it behaves as a busy-until time. Reservations never move once made. `Time` is
// sc_time or an integer count of picoseconds, and Time{} is zero.
#pragma once

#include <algorithm>
#include <vector>

namespace rpusim {

template <typename Time>
class BasicCalendar {
 public:
  static constexpr int kMaxGapsSearched = 32;

  // Reserves `duration` at the earliest time >= `ready` when the resource is idle for that
  // long; returns the start.
  Time reserve(const Time& ready, const Time& duration) {
    Time start = ready;
    // Intervals are disjoint and sorted, so their ends are sorted too.
    auto next = std::upper_bound(m_intervals.begin(), m_intervals.end(), start,
                                 [](const Time& t, const Interval& i) { return t < i.end; });
    // NOTE: the search gives up after kMaxGapsSearched reservations and queues the request
    // behind the latest one, which bounds the cost on a fragmented calendar and can only
    // delay the request, never advance it.
    int searched = 0;
    for (; next != m_intervals.end(); ++next) {
      if (next->start >= start + duration) break;  // the gap before `next` is long enough
      start = std::max(start, next->end);
      if (++searched == kMaxGapsSearched) {
        next = m_intervals.end();
        start = std::max(start, m_intervals.back().end);
        break;
      }
    }
    m_busy += duration;
    if (duration == Time{}) return start;
    // Merge with touching neighbours, so that a saturated resource keeps one interval and
    // the search above stays short.
    const Time end = start + duration;
    const bool joins_previous = next != m_intervals.begin() && (next - 1)->end == start;
    const bool joins_next = next != m_intervals.end() && next->start == end;
    if (joins_previous && joins_next) {
      (next - 1)->end = next->end;
      m_intervals.erase(next);
    } else if (joins_previous) {
      (next - 1)->end = end;
    } else if (joins_next) {
      next->start = start;
    } else {
      m_intervals.insert(next, Interval{start, end});
    }
    return start;
  }

  // Forgets reservations that end at or before `horizon`; no later request may be ready
  // before it.
  void forget_before(const Time& horizon) {
    auto first_kept = std::upper_bound(
        m_intervals.begin(), m_intervals.end(), horizon,
        [](const Time& t, const Interval& i) { return t < i.end; });
    if (first_kept != m_intervals.begin()) m_last_end = std::max(m_last_end, (first_kept - 1)->end);
    m_intervals.erase(m_intervals.begin(), first_kept);
  }

  // End of the latest reservation (the busy-until time of an in-order resource).
  Time busy_until() const {
    return m_intervals.empty() ? m_last_end : std::max(m_last_end, m_intervals.back().end);
  }
  Time busy_time() const { return m_busy; }
  std::size_t pending() const { return m_intervals.size(); }

 private:
  struct Interval {
    Time start;
    Time end;
  };
  std::vector<Interval> m_intervals;
  Time m_last_end{};
  Time m_busy{};
};

}  // namespace rpusim
