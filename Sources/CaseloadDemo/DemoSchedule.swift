import CaseloadCore

/// The demo program's settings, staff and weekly groups, for each size.
enum DemoSchedule {
    // Phase indices into `program.phases`.
    static let phaseI = 0, phaseII = 1, phaseIII = 2, aftercare = 3

    static let roomOne = RoomID("room-1"), roomTwo = RoomID("room-2"), hall = RoomID("group-hall"), officeA = RoomID("office-a")

    static let fullRedisclosureNotice = """
        This record, which has been disclosed to you, is protected by federal confidentiality rules (42 CFR part 2). \
        These rules prohibit you from using or disclosing this record, or testimony that describes the information \
        contained in this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, \
        State, or local authority, against the patient, unless authorized by the consent of the patient, except as \
        provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, \
        the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of \
        the following applies: further use or disclosure is expressly permitted by the written consent of the \
        individual whose information is being disclosed in this record or as otherwise permitted by 42 CFR part 2; \
        you are a covered entity or business associate and have received the record for treatment, payment, or \
        health care operations; or you have received the record from a covered entity or business associate as \
        permitted by 45 CFR part 164, subparts A and E. A general authorization for the release of medical or other \
        information is NOT sufficient to meet the required elements of written consent to further use or redisclose \
        the record (see 42 CFR 2.31). \(Program.shortRedisclosureNotice)
        """

    static func program() -> Program {
        Program(
            name: "Riverside Recovery IOP",
            timeZone: "America/Chicago",
            firstWeekday: .mon,
            dayStart: DemoClock.time(8 * 60),
            dayEnd: DemoClock.time(21 * 60 + 30),
            phases: [
                Phase(id: "phase-1", name: "Phase I", levelOfCare: .intensiveOutpatient, requiredSessionsPerWeek: 3, requiredMinutesPerWeek: 540, typicalWeeks: 4),
                Phase(id: "phase-2", name: "Phase II", levelOfCare: .outpatient, requiredSessionsPerWeek: 2, requiredMinutesPerWeek: 360, typicalWeeks: 5),
                Phase(id: "phase-3", name: "Phase III", levelOfCare: .outpatient, requiredSessionsPerWeek: 1, requiredMinutesPerWeek: 180, typicalWeeks: 8),
                Phase(id: "aftercare", name: "Aftercare", levelOfCare: .aftercare, requiredSessionsPerWeek: 1, requiredMinutesPerWeek: 90, typicalWeeks: nil),
            ],
            rooms: [
                Room(id: roomOne, name: "Room 1", capacity: 16),
                Room(id: roomTwo, name: "Room 2", capacity: 30),
                Room(id: hall, name: "Group Hall", capacity: 50),
                Room(id: officeA, name: "Office A", capacity: 4),
            ],
            attendancePolicy: AttendancePolicy(),
            defaultNoteFormat: .dap,
            redisclosureNotice: fullRedisclosureNotice
        )
    }

    /// Staff; the small program has the first three.
    static let allStaff: [Staff] = [
        Staff(id: "stf_01", name: "Dana Reyes", credentials: "LCSW, LCADC", role: .director, login: "dreyes"),
        Staff(id: "stf_02", name: "Marcus Bell", credentials: "CADC", role: .facilitator, login: "mbell"),
        Staff(id: "stf_03", name: "Priya Natarajan", credentials: "LPC", role: .supervisor, login: "pnatarajan"),
        Staff(id: "stf_04", name: "Tomás Ferreira", credentials: "LCPC", role: .clinician, login: "tferreira"),
        Staff(id: "stf_05", name: "Grace Okonkwo", credentials: "CADC", role: .facilitator, login: "gokonkwo"),
        Staff(id: "stf_06", name: "Hannah Lindqvist", credentials: "LCSW", role: .clinician, login: "hlindqvist"),
        Staff(id: "stf_07", name: "Jordan Park", credentials: "CPRS", role: .facilitator, login: "jpark"),
        Staff(id: "stf_08", name: "Lena Fischer", credentials: "CCM", role: .clinician, login: "lfischer"),
    ]

    /// Which kind of weekly group a series is; a patient is on at most one series of a slot at a time.
    /// Slots are filled in this order, and a later slot gives way when its time clashes with an earlier one.
    enum Slot: Int, CaseIterable, Sendable {
        case core, stepDown, relapsePrevention, saturday, aftercare, skills, gender, youngAdult, family
    }

    enum Track: Sendable { case evening, daytime }

    enum Audience: Sendable { case everyone, women, men, youngAdults }

    /// A weekly group series and who belongs on it.
    struct SeriesPlan: Sendable {
        var id: SeriesID
        var title: String
        var modality: Modality
        var weekdays: [Weekday]
        var start: Int
        var duration: Int
        var room: RoomID
        var facilitator: Int
        var startDate: LocalDate
        var endDate: LocalDate?
        var slot: Slot
        var phases: [Int]
        var track: Track?
        var audience: Audience = .everyone
        /// Share of eligible patients (per mille) who join; the same patient's roll is used for a replacement series.
        var optIn: Int = 1000

        var end: Int { start + duration }

        func isActive(on day: Int) -> Bool {
            startDate.dayNumber <= day && (endDate.map { day <= $0.dayNumber } ?? true)
        }

        /// Meets at an overlapping time on a shared weekday.
        func clashes(with other: SeriesPlan) -> Bool {
            guard weekdays.contains(where: { other.weekdays.contains($0) }) else { return false }
            return start < other.end && other.start < end
        }

        func series(roster: [RosterEntry]) -> Series {
            Series(id: id, title: title, kind: .group, modality: modality, facilitator: DemoSchedule.allStaff[facilitator].id,
                   room: room, weekdays: weekdays, start: DemoClock.time(start),
                   durationMinutes: duration, startDate: startDate, endDate: endDate, roster: roster)
        }
    }

    /// Small: five series that have run for two years; `recordStart` is the first recorded day.
    static func smallSeries(recordStart: LocalDate) -> [SeriesPlan] {
        let opened = recordStart.adding(days: -104 * 7)
        return [
            SeriesPlan(id: "ser_01", title: "IOP-A Evening", modality: .process, weekdays: [.mon, .wed, .thu], start: 18 * 60, duration: 180,
                       room: hall, facilitator: 1, startDate: opened, slot: .core, phases: [phaseI], track: .evening),
            SeriesPlan(id: "ser_02", title: "IOP-B Daytime", modality: .cbt, weekdays: [.tue, .thu, .fri], start: 9 * 60, duration: 180,
                       room: roomOne, facilitator: 0, startDate: opened, slot: .core, phases: [phaseI], track: .daytime),
            SeriesPlan(id: "ser_03", title: "Relapse Prevention", modality: .relapsePrevention, weekdays: [.tue], start: 18 * 60, duration: 90,
                       room: roomTwo, facilitator: 2, startDate: opened, slot: .relapsePrevention, phases: [phaseII, aftercare]),
            SeriesPlan(id: "ser_04", title: "Family Group", modality: .family, weekdays: [.tue], start: 19 * 60 + 30, duration: 90,
                       room: roomOne, facilitator: 0, startDate: opened, slot: .family, phases: [phaseI, phaseII, phaseIII, aftercare], optIn: 350),
            SeriesPlan(id: "ser_05", title: "Saturday Recovery Workshop", modality: .psychoeducation, weekdays: [.sat], start: 9 * 60, duration: 420,
                       room: hall, facilitator: 1, startDate: opened, slot: .saturday, phases: [phaseII, phaseIII]),
        ]
    }

    /// Large: fourteen series over five years, some ended and replaced. `recordStart` is a Monday.
    static func largeSeries(recordStart r: LocalDate) -> [SeriesPlan] {
        let opened = r.adding(days: -52 * 7)
        func week(_ n: Int, _ plusDays: Int = 0) -> LocalDate { r.adding(days: n * 7 + plusDays) }
        let all = [phaseI, phaseII, phaseIII, aftercare]
        return [
            SeriesPlan(id: "ser_01", title: "IOP-A Evening", modality: .process, weekdays: [.mon, .wed, .thu], start: 18 * 60, duration: 180,
                       room: hall, facilitator: 1, startDate: opened, slot: .core, phases: [phaseI], track: .evening),
            SeriesPlan(id: "ser_02", title: "IOP-B Daytime", modality: .cbt, weekdays: [.tue, .thu, .fri], start: 9 * 60, duration: 180,
                       room: roomOne, facilitator: 0, startDate: opened, endDate: week(128, 4), slot: .core, phases: [phaseI], track: .daytime),
            SeriesPlan(id: "ser_03", title: "Relapse Prevention", modality: .relapsePrevention, weekdays: [.tue], start: 18 * 60, duration: 90,
                       room: hall, facilitator: 2, startDate: opened, slot: .relapsePrevention, phases: [phaseII, phaseIII]),
            SeriesPlan(id: "ser_04", title: "Family Group", modality: .family, weekdays: [.tue], start: 19 * 60 + 30, duration: 90,
                       room: roomOne, facilitator: 0, startDate: opened, endDate: week(90, 1), slot: .family, phases: all, optIn: 300),
            SeriesPlan(id: "ser_05", title: "Saturday Recovery Workshop", modality: .psychoeducation, weekdays: [.sat], start: 9 * 60, duration: 420,
                       room: hall, facilitator: 1, startDate: opened, slot: .saturday, phases: [phaseI, phaseII, phaseIII]),
            SeriesPlan(id: "ser_06", title: "Aftercare Group", modality: .process, weekdays: [.mon], start: 18 * 60, duration: 90,
                       room: roomTwo, facilitator: 6, startDate: opened, slot: .aftercare, phases: [aftercare]),
            SeriesPlan(id: "ser_07", title: "Young Adult Group", modality: .psychoeducation, weekdays: [.fri], start: 15 * 60 + 30, duration: 90,
                       room: roomTwo, facilitator: 6, startDate: opened, endDate: week(140, 4), slot: .youngAdult, phases: all,
                       audience: .youngAdults, optIn: 800),
            SeriesPlan(id: "ser_08", title: "DBT Skills", modality: .dbt, weekdays: [.wed], start: 13 * 60, duration: 120,
                       room: roomTwo, facilitator: 5, startDate: week(10, 2), slot: .skills, phases: [phaseI, phaseII, phaseIII], optIn: 600),
            SeriesPlan(id: "ser_09", title: "Step-Down Group", modality: .process, weekdays: [.mon, .thu], start: 16 * 60, duration: 120,
                       room: roomTwo, facilitator: 4, startDate: week(20), slot: .stepDown, phases: [phaseII]),
            SeriesPlan(id: "ser_10", title: "Women's Group", modality: .process, weekdays: [.wed], start: 16 * 60, duration: 90,
                       room: roomOne, facilitator: 5, startDate: week(30, 2), slot: .gender, phases: all, audience: .women, optIn: 500),
            SeriesPlan(id: "ser_11", title: "Men's Group", modality: .process, weekdays: [.tue], start: 16 * 60 + 15, duration: 90,
                       room: roomOne, facilitator: 3, startDate: week(45, 1), slot: .gender, phases: all, audience: .men, optIn: 500),
            SeriesPlan(id: "ser_12", title: "Family Group", modality: .family, weekdays: [.fri], start: 17 * 60 + 30, duration: 90,
                       room: roomOne, facilitator: 0, startDate: week(90, 4), slot: .family, phases: all, optIn: 300),
            SeriesPlan(id: "ser_13", title: "Aftercare Group (Thursday)", modality: .process, weekdays: [.thu], start: 18 * 60, duration: 90,
                       room: roomTwo, facilitator: 6, startDate: opened, slot: .aftercare, phases: [aftercare]),
            SeriesPlan(id: "ser_14", title: "IOP-B Daytime (Matrix)", modality: .matrix, weekdays: [.mon, .wed, .fri], start: 9 * 60, duration: 180,
                       room: roomOne, facilitator: 3, startDate: week(129), slot: .core, phases: [phaseI], track: .daytime),
        ]
    }

    /// Staff who see patients one to one (primary clinicians); the large program adds a case manager.
    static func clinicians(large: Bool) -> [Int] { large ? [0, 2, 3, 5] : [0, 2] }
    static let caseManager = 7
    static let peerCoach = 6

    /// Start times tried for individual sessions, in order of preference, for each track.
    static let eveningSlots: [Int] = [16, 17, 15, 14, 13, 12, 11, 10, 9, 8].map { $0 * 60 }
    static let daytimeSlots: [Int] = [13, 14, 15, 12, 16, 11, 10, 17, 8, 9].map { $0 * 60 }
}
