import CaseloadCore
import Foundation

/// Converts local wall-clock times in the program's zone to timestamps, caching the zone's offset per day.
struct DemoClock {
    let zone: TimeZone
    private var offsets: [Int: Int64] = [:]

    init(zone: TimeZone) { self.zone = zone }

    /// The instant of `minutes` after local midnight on day `day` (minutes may run past midnight).
    /// The offset is taken at local noon: daylight-saving changes happen at 02:00, outside the program's day.
    mutating func timestamp(day: Int, minutes: Int, seconds: Int = 0) -> Timestamp {
        let offset: Int64
        if let cached = offsets[day] {
            offset = cached
        } else {
            let noon = Recurrence.instant(LocalDate(dayNumber: day), DemoClock.time(12 * 60), in: zone)
            offset = Int64(day) * 86_400 + 12 * 3_600 - Int64(noon.timeIntervalSince1970.rounded(.down))
            offsets[day] = offset
        }
        return Timestamp(seconds: Int64(day) * 86_400 + Int64(minutes) * 60 + Int64(seconds) - offset)
    }

    /// A wall-clock time from minutes after midnight, clamped to the day.
    static func time(_ minutes: Int) -> LocalTime { LocalTime(clamping: minutes) }
}

/// Records the program's history day by day: roll, cancellations, one-to-one sessions, notes and signatures.
struct DemoHistory {
    struct Settings {
        var recordStart: Int
        var today: Int
        var nowMinutes: Int
        var now: Timestamp
        /// Member notes are written from this day on (all of history in both sizes).
        var memberNotesFrom: Int
        var large: Bool
        /// Large only: notes are charted as programs chart (see `DemoChartText`), and every note of a session held before
        /// the last `draftDays` days (today included) is signed; only the newest may still be drafts.
        var draftDays = 3
    }

    /// A one-to-one (or family) appointment booked for a day.
    struct Booking {
        var patient: Int
        var staff: Int
        var start: Int
        var duration: Int
        var modality: Modality
        var kind: SessionKind
        var room: RoomID?
        var title: String
    }

    let settings: Settings
    let program: Program
    let plans: [PatientPlan]
    let plansSeries: [DemoSchedule.SeriesPlan]
    let series: [Series]
    let memberships: [[Membership]]
    let rosters: [[(patient: Int, membership: Membership)]]
    var clock: DemoClock
    var rng: SeededGenerator
    var sessions: [Session] = []
    private var signings: [Signing?] = []
    /// Days the program is closed (holidays, weather), from the first recorded day to a week after today.
    private var closures: [Int: String] = [:]
    /// Staff who work on Saturdays (they run a Saturday group), so they may sign notes then.
    private let saturdayStaff: Set<Int>
    /// Note errors cannot happen on the fresh sessions written here; they are counted rather than trapped.
    var noteErrors = 0

    private var counter = 0
    private var occurrenceCount: [Int]
    private var sweepNext: [Int]
    private var sweepActive: [[Int]]

    init(settings: Settings, program: Program, plans: [PatientPlan], seriesPlans: [DemoSchedule.SeriesPlan], series: [Series],
         memberships: [[Membership]], rosters: [[(patient: Int, membership: Membership)]], zone: TimeZone, rng: SeededGenerator) {
        self.settings = settings; self.program = program; self.plans = plans; self.plansSeries = seriesPlans; self.series = series
        self.memberships = memberships; self.rosters = rosters; self.clock = DemoClock(zone: zone); self.rng = rng
        occurrenceCount = Array(repeating: 0, count: seriesPlans.count)
        saturdayStaff = Set(seriesPlans.filter { $0.weekdays.contains(.sat) }.map(\.facilitator))
        sweepNext = Array(repeating: 0, count: seriesPlans.count)
        sweepActive = Array(repeating: [], count: seriesPlans.count)
    }

    // MARK: Closures

    /// Days the program is closed: the usual US holidays, and a few winter-weather days.
    static func closures(from first: Int, to last: Int, rng: inout SeededGenerator) -> [Int: String] {
        var result: [Int: String] = [:]
        let firstYear = LocalDate(dayNumber: first).year, lastYear = LocalDate(dayNumber: last).year
        func nth(_ n: Int, _ weekday: Weekday, month: Int, year: Int) -> Int? {
            guard let start = LocalDate(year: year, month: month, day: 1) else { return nil }
            let offset = (weekday.isoNumber - start.weekday.isoNumber + 7) % 7
            return start.dayNumber + offset + (n - 1) * 7
        }
        func lastMonday(ofMay year: Int) -> Int? {
            guard let end = LocalDate(year: year, month: 5, day: 31) else { return nil }
            return end.dayNumber - (end.weekday.isoNumber - 1)
        }
        for year in firstYear...lastYear {
            let days: [(Int?, String)] = [
                (LocalDate(year: year, month: 1, day: 1)?.dayNumber, "Program closed: New Year's Day"),
                (lastMonday(ofMay: year), "Program closed: Memorial Day"),
                (LocalDate(year: year, month: 7, day: 4)?.dayNumber, "Program closed: Independence Day"),
                (nth(1, .mon, month: 9, year: year), "Program closed: Labor Day"),
                (nth(4, .thu, month: 11, year: year), "Program closed: Thanksgiving Day"),
                (LocalDate(year: year, month: 12, day: 25)?.dayNumber, "Program closed: Christmas Day"),
            ]
            for case (let day?, let reason) in days { result[day] = reason }
        }
        var day = first
        while day <= last {
            let month = LocalDate(dayNumber: day).month
            if (month == 12 || month <= 2) && result[day] == nil && rng.chance(12) {
                result[day] = "Severe winter weather: building closed"
            }
            day += 1
        }
        return result
    }

    static let cancelReasons = [
        "Facilitator ill; no qualified cover available", "Facilitator called to a clinical emergency",
        "Heating failure in the building", "Room unavailable: water leak",
    ]

    static let calledOffReasons = [
        "Fire alarm evacuation; the group could not resume", "Power outage shortly before the start",
        "Facilitator held up by a crisis call; the group did not start",
    ]

    // MARK: Roll

    /// Members of series `s` on `day`, in roster order, by a sweep over the roster sorted by joining date.
    private mutating func members(of s: Int, on day: Int) -> [Int] {
        let roster = rosters[s]
        while sweepNext[s] < roster.count && roster[sweepNext[s]].membership.joined <= day {
            sweepActive[s].append(sweepNext[s])
            sweepNext[s] += 1
        }
        sweepActive[s].removeAll { (roster[$0].membership.left ?? Int.max) <= day }
        return sweepActive[s].map { roster[$0].patient }
    }

    private mutating func attendance(for plan: PatientPlan, day: Int, duration: Int, individual: Bool) -> AttendanceStatus {
        var weights = [[905, 38, 18, 24, 15], [800, 70, 40, 45, 45], [660, 90, 60, 70, 120]][min(max(plan.reliability, 0), 2)]
        if individual { weights[1] /= 2; weights[2] = 4 }
        if plan.isDrifting(on: day) { weights[4] += 1_500; weights[3] += 40 }
        if plan.daysSinceLapse(day, within: 6) != nil { weights[4] += 250; weights[3] += 40 }
        switch rng.weighted(weights) {
        case 0: return .present
        case 1:
            let options = [5, 10, 15, 20, 25, 30, 40, 45].filter { $0 <= max(5, duration / 3) }
            return .late(minutesLate: rng.pick(options))
        case 2:
            let gone = rng.int(max(2, duration / 30)...max(3, duration / 10)) * 5
            return .leftEarly(minutesAttended: max(5, duration - gone))
        case 3: return .excused(reason: rng.pick(DemoText.excuseReasons))
        default: return .absent
        }
    }

    private func context(_ plan: PatientPlan, status: AttendanceStatus, day: Int, duration: Int, individual: Modality?) -> DemoText.MemberContext {
        let phase = plan.phase(on: day).map { program.phases[$0] }
        return DemoText.MemberContext(
            status: status, duration: duration, phase: phase, substance: DemoClinical.substances[plan.substance].label,
            daysSinceLapse: plan.daysSinceLapse(day, within: 7), supervision: plan.officer.map { DemoClinical.officers[$0].kind },
            individual: individual, familyRelationship: plan.conditions.contains(.partnerConflict) ? "partner" : "family member")
    }

    // MARK: One-to-one bookings

    private func groupBusy(day: Int, weekday: Weekday) -> [(series: Int, start: Int, end: Int)] {
        plansSeries.indices.compactMap { s in
            let p = plansSeries[s]
            return p.weekdays.contains(weekday) && p.isActive(on: day) ? (s, p.start, p.end) : nil
        }
    }

    /// Books the week's individual, case-management and family sessions where clinician, room and patient are all free.
    private mutating func bookWeek(monday: Int) -> [Int: [Booking]] {
        var byDay: [Int: [Booking]] = [:]
        var staffBusy: [Int: [(Int, Int)]] = [:]
        var roomBusy: [Int: [(Int, Int)]] = [:]
        var patientBooked = Set<Int>()
        let large = settings.large
        // The large program staffs weekly counselling for everyone, case management and peer recovery coaching.
        let counselling = large ? [1000, 1000, 1000, 1000] : [1000, 500, 500, 250]
        let caseManagement = large ? [1000, 1000, 500, 500] : [0, 0, 0, 0]
        let peerCoaching = large ? [0, 250, 600, 1000] : [0, 0, 0, 0]
        let roomOrder = [3, 1, 0]
        var groupsByDay: [Int: [(series: Int, start: Int, end: Int)]] = [:]
        for offset in 0..<5 {
            let day = monday + offset
            groupsByDay[day] = groupBusy(day: day, weekday: LocalDate(dayNumber: day).weekday)
        }

        for (p, plan) in plans.enumerated() {
            guard let midPhase = plan.phase(on: monday + 2) ?? plan.phase(on: monday) ?? plan.phase(on: monday + 4) else { continue }
            var wanted: [(modality: Modality, kind: SessionKind, staff: Int, duration: Int, title: String)] = []
            if rng.chance(counselling[midPhase]) {
                let admission = plan.admission ?? monday
                var modality: Modality
                switch plan.choiceRoll % 10 {
                case 0...5: modality = .cbt
                case 6, 7: modality = .rebt
                default: modality = .motivationalInterviewing
                }
                if monday - admission < 14 { modality = .motivationalInterviewing }
                var staff = plan.clinician
                if plan.conditions.contains(.ptsd) && midPhase >= 1 { modality = .emdr; staff = 2 }
                let title = "Individual: " + modality.label
                wanted.append((modality, .individual, staff, modality == .emdr ? 80 : 50, title))
            }
            if rng.chance(caseManagement[midPhase]) {
                wanted.append((.caseManagement, .individual, DemoSchedule.caseManager, 30, "Case management"))
            }
            if rng.chance(peerCoaching[midPhase]) {
                wanted.append((.other, .individual, DemoSchedule.peerCoach, 30, "Peer recovery coaching"))
            }
            if plan.conditions.contains(.partnerConflict) && rng.chance(110) {
                wanted.append((.family, .family, plan.clinician, 60, "Family session"))
            }
            guard !wanted.isEmpty else { continue }
            // Evening-track patients work days, so their appointments go late in the afternoon.
            let slots = plan.track == .evening ? DemoSchedule.eveningSlots : DemoSchedule.daytimeSlots
            for want in wanted {
                var booked = false
                for d in 0..<5 where !booked {
                    let day = monday + (plan.preferredDay + d) % 5
                    guard day <= settings.today, closures[day] == nil,
                          plan.phase(on: day) != nil, !patientBooked.contains(day * 10_000 + p) else { continue }
                    let weekday = LocalDate(dayNumber: day).weekday
                    let groups = groupsByDay[day] ?? []
                    for start in slots where !booked {
                        let end = start + want.duration
                        if day == settings.today && end > settings.nowMinutes { continue }
                        // The clinician is not running a group or another appointment then.
                        if groups.contains(where: { plansSeries[$0.series].facilitator == want.staff && $0.start < end && start < $0.end }) { continue }
                        if (staffBusy[day * 16 + want.staff] ?? []).contains(where: { $0.0 < end && start < $0.1 }) { continue }
                        // The patient is not due at one of their groups then.
                        if memberships[p].contains(where: { m in
                            let s = plansSeries[m.series]
                            return m.joined <= day && day < (m.left ?? Int.max) && s.weekdays.contains(weekday) && s.isActive(on: day)
                                && s.start < end + 30 && start < s.end + 30
                        }) { continue }
                        var room: RoomID? = nil
                        for r in roomOrder {
                            let id = program.rooms[r].id
                            if groups.contains(where: { plansSeries[$0.series].room == id && $0.start < end && start < $0.end }) { continue }
                            if (roomBusy[day * 8 + r] ?? []).contains(where: { $0.0 < end && start < $0.1 }) { continue }
                            room = id
                            roomBusy[day * 8 + r, default: []].append((start, end))
                            break
                        }
                        staffBusy[day * 16 + want.staff, default: []].append((start, end))
                        patientBooked.insert(day * 10_000 + p)
                        byDay[day, default: []].append(Booking(patient: p, staff: want.staff, start: start, duration: want.duration,
                                                                modality: want.modality, kind: want.kind, room: room,
                                                                title: room == nil ? want.title + " (telehealth)" : want.title))
                        booked = true
                    }
                }
            }
        }
        return byDay
    }

    // MARK: Notes

    /// Who signs a session's notes and when; signatures are applied once the whole history is written.
    struct Signing {
        var by: StaffID
        var at: Timestamp
        var draft: Bool
    }

    /// Signs the group note and every member note at `at`, or leaves them as drafts.
    private mutating func sign(_ session: inout Session, by staff: StaffID, at: Timestamp, draft: Bool) {
        guard !draft else { return }
        do {
            if session.groupNote != nil { try session.signGroupNote(Signature(by: staff, at: at)) }
            let recent = session.date.dayNumber >= settings.today - (settings.large ? settings.draftDays - 1 : 14)
            for (k, note) in session.memberNotes.enumerated() {
                if recent && rng.chance(40) { continue }
                try session.signMemberNote(for: note.patient, Signature(by: staff, at: Timestamp(seconds: at.seconds + Int64(k + 1) * 40)))
            }
        } catch {
            noteErrors += 1
        }
    }

    /// When the note's author signs: the next working day (Saturday only for staff who work Saturdays), in the morning.
    /// Recent notes are sometimes still drafts.
    private mutating func signature(day: Int, staff: Int) -> Signing {
        if settings.large && day < settings.today - (settings.draftDays - 1) {
            return settledSignature(day: day, staff: staff)
        }
        var signDay = day + 1
        while true {
            let weekday = LocalDate(dayNumber: signDay).weekday
            guard weekday == .sun || (weekday == .sat && !saturdayStaff.contains(staff)) || closures[signDay] != nil else { break }
            signDay += 1
        }
        let at = clock.timestamp(day: signDay, minutes: rng.int((8 * 60 + 30)...(12 * 60)), seconds: rng.int(0...59))
        let draft = at.seconds + 3_600 > settings.now.seconds || (signDay >= settings.today - 1 && rng.chance(400))
        return Signing(by: DemoSchedule.allStaff[staff].id, at: at, draft: draft)
    }

    /// Large only: a note older than the draft days is signed the next working day in the morning; when that morning
    /// has not come yet (a long weekend just before today), the evening of the session's own day.
    private mutating func settledSignature(day: Int, staff: Int) -> Signing {
        var signDay = day + 1
        while true {
            let weekday = LocalDate(dayNumber: signDay).weekday
            guard weekday == .sun || (weekday == .sat && !saturdayStaff.contains(staff)) || closures[signDay] != nil else { break }
            signDay += 1
        }
        var at = clock.timestamp(day: signDay, minutes: rng.int((8 * 60 + 30)...(12 * 60)), seconds: rng.int(0...59))
        if at.seconds + 3_600 > settings.now.seconds {
            at = clock.timestamp(day: day, minutes: 23 * 60 + rng.int(0...30), seconds: rng.int(0...59))
        }
        return Signing(by: DemoSchedule.allStaff[staff].id, at: at, draft: false)
    }

    private mutating func updatedTime(day: Int, minutes: Int) -> Timestamp {
        let t = clock.timestamp(day: day, minutes: minutes, seconds: rng.int(0...59))
        return t.seconds > settings.now.seconds ? settings.now : t
    }

    // MARK: Building

    private mutating func nextID() -> SessionID {
        counter += 1
        let hex = String(counter, radix: 16)
        return SessionID("ses_" + String(repeating: "0", count: max(0, 6 - hex.count)) + hex)
    }

    private func endedBeforeNow(day: Int, end: Int) -> Bool {
        day < settings.today || (day == settings.today && end <= settings.nowMinutes)
    }

    private mutating func groupSession(_ s: Int, day: Int, closure: String?) -> (session: Session, signing: Signing?) {
        let plan = plansSeries[s]
        let date = LocalDate(dayNumber: day)
        var session = Session(id: SessionID("pending"), occurrenceOf: series[s], on: date)
        let members = members(of: s, on: day)
        if let closure {
            session.status = .cancelled(reason: closure)
            return (session, nil)
        }
        if members.isEmpty {
            session.status = .cancelled(reason: "No members on the roster this week")
            return (session, nil)
        }
        if rng.chance(7) {
            session.status = .cancelled(reason: rng.pick(DemoHistory.cancelReasons))
            return (session, nil)
        }
        if rng.chance(1) {
            session.status = .didNotTakePlace(reason: rng.pick(DemoHistory.calledOffReasons))
            return (session, nil)
        }
        var attended = 0
        for p in members {
            let status = attendance(for: plans[p], day: day, duration: plan.duration, individual: false)
            if status.attended { attended += 1 }
            session.mark(plans[p].id, status)
        }
        session.status = .held
        let facilitator = DemoSchedule.allStaff[plan.facilitator].id
        let index = occurrenceCount[s]
        occurrenceCount[s] += 1
        let text = settings.large
            ? DemoChartText.groupNote(modality: plan.modality, index: index + Int(plan.start), attended: attended, members: members.count,
                                      isWorkshop: plan.duration >= 360, rng: &rng)
            : DemoText.groupNote(modality: plan.modality, title: plan.title, index: index + Int(plan.start),
                                 attended: attended, members: members.count, isWorkshop: plan.duration >= 360, rng: &rng)
        let updated = updatedTime(day: day, minutes: plan.end + rng.int(15...60))
        do {
            try session.setGroupNote(GroupNote(topic: text.topic, modality: plan.modality, narrative: text.narrative, author: facilitator, updated: updated))
            if day >= settings.memberNotesFrom {
                // Marks were made in member order, so the k-th mark is the k-th member's.
                for (k, mark) in session.attendance.enumerated() where k < members.count {
                    let p = members[k]
                    let memberContext = context(plans[p], status: mark.status, day: day, duration: plan.duration, individual: nil)
                    let sections: [NoteSection]
                    if settings.large {
                        // Programs chart a member note for each person who came; an absence is on the roll.
                        guard mark.status.attended else { continue }
                        sections = DemoChartText.memberSections(memberContext, topic: text.topic, rng: &rng)
                    } else {
                        sections = DemoText.memberSections(memberContext, rng: &rng)
                    }
                    try session.setMemberNote(MemberNote(patient: mark.patient, format: program.defaultNoteFormat,
                                                         sections: DemoText.sections(sections, format: program.defaultNoteFormat),
                                                         author: facilitator, updated: Timestamp(seconds: min(settings.now.seconds, updated.seconds + Int64(k + 1) * 120))))
                }
            }
        } catch {
            noteErrors += 1
        }
        return (session, signature(day: day, staff: plan.facilitator))
    }

    private mutating func oneToOne(_ b: Booking, day: Int) -> (session: Session, signing: Signing?) {
        let plan = plans[b.patient]
        let staff = DemoSchedule.allStaff[b.staff].id
        var session = Session(id: SessionID("pending"), date: LocalDate(dayNumber: day), start: DemoClock.time(b.start), durationMinutes: b.duration,
                              title: b.title, kind: b.kind, modality: b.modality, room: b.room, facilitator: staff, added: [plan.id])
        let status = attendance(for: plan, day: day, duration: b.duration, individual: true)
        session.mark(plan.id, status)
        if day >= settings.memberNotesFrom {
            let memberContext = context(plan, status: status, day: day, duration: b.duration, individual: b.modality)
            let sections = settings.large
                ? DemoChartText.memberSections(memberContext, topic: nil, rng: &rng)
                : DemoText.memberSections(memberContext, rng: &rng)
            do {
                try session.setMemberNote(MemberNote(patient: plan.id, format: program.defaultNoteFormat,
                                                     sections: DemoText.sections(sections, format: program.defaultNoteFormat),
                                                     author: staff, updated: updatedTime(day: day, minutes: b.start + b.duration + rng.int(10...90))))
            } catch {
                noteErrors += 1
            }
            return (session, signature(day: day, staff: b.staff))
        }
        return (session, nil)
    }

    /// Every stored session from the first recorded day to now, in order of date and start time.
    mutating func build() -> [Session] {
        let closureRNGSeed = rng.next()
        var closureRNG = SeededGenerator(seed: closureRNGSeed, stream: "closures")
        closures = DemoHistory.closures(from: settings.recordStart, to: settings.today + 7, rng: &closureRNG)
        var bookings: [Int: [Booking]] = [:]
        var day = settings.recordStart
        while day <= settings.today {
            let date = LocalDate(dayNumber: day)
            let weekday = date.weekday
            if weekday == .mon || day == settings.recordStart {
                bookings = bookWeek(monday: date.startOfWeek(firstWeekday: .mon).dayNumber)
            }
            var daySessions: [(session: Session, signing: Signing?)] = []
            for s in plansSeries.indices {
                let plan = plansSeries[s]
                guard plan.weekdays.contains(weekday), plan.isActive(on: day), endedBeforeNow(day: day, end: plan.end) else { continue }
                daySessions.append(groupSession(s, day: day, closure: closures[day]))
            }
            for booking in bookings[day] ?? [] where endedBeforeNow(day: day, end: booking.start + booking.duration) {
                daySessions.append(oneToOne(booking, day: day))
            }
            // Stable order within the day: by start time, then as created.
            let order = daySessions.indices.sorted { (daySessions[$0].session.start, $0) < (daySessions[$1].session.start, $1) }
            for i in order {
                var session = daySessions[i].session
                session.id = nextID()
                sessions.append(session)
                signings.append(daySessions[i].signing)
            }
            day += 1
        }
        // The facilitator has not yet signed the notes of the last group held.
        if let last = sessions.indices.last(where: { sessions[$0].kind == .group && sessions[$0].groupNote != nil }),
           !settings.large || sessions[last].date.dayNumber >= settings.today - (settings.draftDays - 1) {
            signings[last]?.draft = true
        }
        for i in sessions.indices {
            guard let signing = signings[i] else { continue }
            var session = sessions[i]
            sign(&session, by: signing.by, at: signing.at, draft: signing.draft)
            sessions[i] = session
        }
        addAddenda()
        return sessions
    }

    /// A few signed notes get an addendum: a member note or two in the recent weeks, and now and then a group note.
    private mutating func addAddenda() {
        let author = DemoSchedule.allStaff[0].id
        var memberWanted = settings.large ? 3 : 1
        var i = sessions.count - 1
        while i >= 0 && memberWanted > 0 {
            let s = sessions[i]
            let day = s.date.dayNumber
            if s.kind == .group, day <= settings.today - 10, day >= settings.today - 42,
               let note = s.memberNotes.first(where: { n in n.isSigned && s.attendance(for: n.patient) == .present }),
               let sig = note.signature {
                let at = Timestamp(seconds: sig.at.seconds + 2 * 86_400 + 1_800)
                if at.seconds <= settings.now.seconds {
                    do {
                        try sessions[i].addMemberAddendum(for: note.patient, Addendum(by: author, at: at, text: DemoText.memberAddenda[memberWanted % DemoText.memberAddenda.count]))
                        memberWanted -= 1
                        i -= 40
                        continue
                    } catch {
                        noteErrors += 1
                    }
                }
            }
            i -= 1
        }
        guard settings.large else { return }
        var k = 0
        for j in stride(from: 500, to: sessions.count, by: 4_000) {
            guard let sig = sessions[j].groupNote?.signature else { continue }
            do {
                try sessions[j].addGroupAddendum(Addendum(by: sessions[j].facilitator ?? author, at: Timestamp(seconds: sig.at.seconds + 3_600),
                                                          text: DemoText.groupAddenda[k % DemoText.groupAddenda.count]))
                k += 1
            } catch {
                noteErrors += 1
            }
        }
    }
}
