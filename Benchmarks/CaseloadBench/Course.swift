import CaseloadCore
import CaseloadUI
import Foundation

// MARK: Issue 19: the course of treatment at a glance (a figure, not a target)

/// On the measured demo's patient with the longest course (start to this week, or to the discharge), the course timeline from admission to
/// this week (one pass over the stored sessions). References in the same loop: the patient's whole record as opening it
/// builds it (every section, the course included), and one week's hours by a scan of every session (`Hours.weekHours`),
/// which a timeline built week by week would pay once a week.
@MainActor func courseFigures() throws {
    let doc = measured.document
    let today = Recurrence.local(now, in: TimeZone(identifier: doc.program.timeZone) ?? .gmt).date
    // The longest course: from its start to this week, or to the discharge for a patient discharged before.
    func length(_ patient: Patient) -> Int {
        guard let start = CourseTimeline.start(of: patient) else { return -1 }
        var end = today
        if case .discharged(let date, _) = patient.status { end = min(end, date) }
        return start.days(until: end)
    }
    guard let patient = doc.patients.max(by: { length($0) < length($1) }), length(patient) >= 0 else { throw BenchError("no patient with an admission date") }
    let schedule = ScheduleIndex(doc)
    let width = 96
    var timelines: [Double] = [], records: [Double] = [], weekScans: [Double] = []
    var weeks = 0
    for _ in 0..<max(5, runs) {
        var course: CourseTimeline?
        timelines.append(seconds { course = CourseTimeline.course(for: patient, in: doc, today: today) })
        weeks = course?.weeks.count ?? 0
        records.append(seconds { _ = recordLines(for: patient, in: doc, today: today, width: width, schedule: schedule) })
        weekScans.append(seconds { _ = Hours.weekHours(for: patient, week: Hours.week(containing: today, firstWeekday: doc.program.firstWeekday), of: doc) })
    }
    print("")
    print("issue 19, course of treatment on the \(size.rawValue) demo's longest course (\(weeks) weeks, \(doc.sessions.count) stored sessions; "
          + "median of \(timelines.count)): the timeline \(msText(median(timelines))) — opening that record, course included, "
          + "same run: \(msText(median(records))); "
          + "one week's hours by scanning every session \(msText(median(weekScans))) (×\(weeks) weeks: \(msText(median(weekScans) * Double(weeks))))")
}
