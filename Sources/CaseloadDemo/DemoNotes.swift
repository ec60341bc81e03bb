import CaseloadCore

/// Text for the demo's notes: group topics and narratives (which never name a member) and per-member DAP sections.
enum DemoText {
    /// `n` with leading zeros to `width` digits.
    static func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// "9 hours", "1.5 hours".
    static func hours(_ minutes: Int) -> String {
        let whole = minutes / 60, rest = minutes % 60
        if rest == 0 { return whole == 1 ? "1 hour" : "\(whole) hours" }
        if rest == 30 { return "\(whole).5 hours" }
        return "\(minutes) minutes"
    }

    /// "Phase II (2 sessions, 6 hours a week)".
    static func requirement(_ phase: Phase) -> String {
        let sessions = phase.requiredSessionsPerWeek == 1 ? "1 session" : "\(phase.requiredSessionsPerWeek) sessions"
        return "\(phase.name) (\(sessions), \(hours(phase.requiredMinutesPerWeek)) a week)"
    }

    // MARK: Group notes

    struct Topic: Sendable {
        let title: String
        let content: String
        init(_ title: String, _ content: String) { self.title = title; self.content = content }
    }

    static func topics(for modality: Modality) -> [Topic] {
        switch modality {
        case .relapsePrevention: return [
            Topic("Mapping high-risk situations", "Members listed people, places and feelings linked to past use and sorted them into avoid, plan for, and cope in the moment."),
            Topic("Warning signs of relapse", "The facilitator reviewed the emotional, mental and physical stages of relapse; members identified their own early warning signs."),
            Topic("Urge surfing", "Members practised a ten-minute urge-surfing exercise and discussed how cravings rise, peak and pass."),
            Topic("Lapse versus relapse", "The group discussed the abstinence violation effect and how to respond to a lapse without abandoning recovery."),
            Topic("Building a relapse prevention plan", "Members drafted a one-page plan with triggers, coping responses and people to call."),
            Topic("Holidays and family gatherings", "Members role-played declining a drink and planned an exit strategy for holiday events."),
            Topic("Stress at work", "Members identified work stressors that precede cravings and rehearsed two coping responses for each."),
        ]
        case .cbt: return [
            Topic("Identifying automatic thoughts", "The facilitator introduced the thought–feeling–behaviour triangle; members recorded one automatic thought linked to a recent craving."),
            Topic("Cognitive distortions", "Members matched common distortions (all-or-nothing thinking, fortune telling, catastrophizing) to their own examples."),
            Topic("Thought records", "Members completed a thought record together and practised writing balanced alternative thoughts."),
            Topic("Problem-solving skills", "The group worked through the five problem-solving steps using a non-identifying example."),
            Topic("Behavioural activation", "Members scheduled two pleasant, substance-free activities for the coming week."),
            Topic("Coping with cravings", "The facilitator taught delay, distract and decide; members rehearsed each step."),
            Topic("Core beliefs", "Members explored how beliefs such as 'I always fail' feed hopelessness and use."),
        ]
        case .family: return [
            Topic("How addiction affects the family", "Patients and family members discussed the roles families take on around substance use."),
            Topic("Communication without blame", "Participants practised 'I' statements and reflective listening in pairs."),
            Topic("Boundaries and enabling", "The group distinguished support from enabling and shared examples of healthy limits."),
            Topic("Self-care for family members", "Family members identified their own supports, including mutual-help groups for families."),
            Topic("Understanding relapse as a family", "The facilitator explained warning signs and how families can respond calmly and early."),
            Topic("Rebuilding trust", "Participants discussed realistic timelines for trust and small, checkable commitments."),
        ]
        case .psychoeducation: return [
            Topic("The brain in early recovery", "The workshop covered how substances change reward pathways and why judgement and mood take months to recover."),
            Topic("Sleep and recovery", "Participants reviewed sleep hygiene and planned a one-week sleep diary."),
            Topic("Nutrition and exercise", "The workshop covered regular meals, hydration and movement as supports for mood and cravings."),
            Topic("Stress management", "Participants practised progressive muscle relaxation and paced breathing."),
            Topic("Medications for addiction treatment", "The facilitator explained how medications for alcohol and opioid use disorders work and answered common myths."),
            Topic("Recovery supports in the community", "Participants mapped mutual-help meetings, recovery community events and sober activities near home."),
            Topic("Money, work and recovery", "The workshop covered budgeting after active use and planning a return to work."),
            Topic("Healthy relationships", "Participants explored signs of healthy and unhealthy relationships in recovery."),
        ]
        case .dbt: return [
            Topic("Distress tolerance: TIPP", "Members practised temperature change, intense exercise, paced breathing and paired muscle relaxation."),
            Topic("Mindfulness: wise mind", "Members practised observing and describing without judgement."),
            Topic("Emotion regulation: opposite action", "Members identified an emotion urge and planned an opposite action."),
            Topic("Interpersonal effectiveness: DEAR MAN", "Members scripted a request with DEAR MAN and role-played it."),
            Topic("Radical acceptance", "The group discussed accepting what cannot be changed as a step toward changing what can."),
        ]
        case .matrix: return [
            Topic("Early recovery skills: stopping the cycle", "Members reviewed external and internal triggers and thought-stopping techniques."),
            Topic("Relapse drift", "Members identified the 'mooring lines' that keep their recovery anchored and how they loosen."),
            Topic("Staying busy and structured", "Members completed a daily schedule for the coming week."),
            Topic("Truthfulness", "The group discussed honesty as a recovery skill and its effect on relationships."),
            Topic("Alcohol and other drugs", "The facilitator explained why secondary substances undermine recovery from the primary one."),
        ]
        default: return [
            Topic("Shame and guilt in early recovery", "Members talked about the difference between guilt about actions and shame about the self, and how each affects cravings."),
            Topic("Rebuilding trust", "Discussion focused on repairing trust with family and employers and on realistic expectations."),
            Topic("Managing boredom and free time", "Members shared plans for evenings and weekends that used to revolve around using."),
            Topic("Setting boundaries with people who still use", "Members practised saying no and discussed which relationships to pause or end."),
            Topic("Anger and resentment", "The group explored how unresolved resentment shows up as cravings, with a brief inventory exercise."),
            Topic("Gratitude and progress", "Members named changes they have noticed since admission and what has helped most."),
            Topic("Grief and loss", "Members discussed losses connected to their use and healthy ways to grieve them."),
        ]
        }
    }

    static let openings = [
        "Group opened with a check-in: each member rated mood and cravings and named one recovery task from the past week.",
        "The facilitator opened with a brief mindfulness exercise and a review of group agreements, including confidentiality.",
        "Members checked in on sleep, cravings and mutual-help meetings since the last session.",
        "Session began with a review of last week's assignment and any questions about the program schedule.",
    ]
    static let activities = [
        "Members applied the material to situations from their own week and gave each other feedback.",
        "Members completed the worksheet in pairs and reported back to the group.",
        "The facilitator used open questions to help members connect the material to recent situations.",
        "Discussion stayed focused and supportive; several members offered peer feedback on coping plans.",
    ]
    static let closings = [
        "Group closed with each member naming one commitment for the coming days.",
        "The session ended with a review of recovery goals and upcoming meetings.",
        "The facilitator closed with a grounding exercise and a reminder of the attendance policy.",
    ]

    /// The topic and narrative of a group session; `index` is the occurrence's number, so topics rotate.
    static func groupNote(modality: Modality, title: String, index: Int, attended: Int, members: Int, isWorkshop: Bool, rng: inout SeededGenerator) -> (topic: String, narrative: String) {
        let pool = topics(for: modality)
        let first = pool[index % pool.count]
        let attendance = "\(attended) of \(members) rostered members attended."
        if isWorkshop {
            let second = pool[(index + 3) % pool.count]
            let narrative = rng.pick(openings) + " Morning: " + first.title.lowercased() + ". " + first.content
                + " After the lunch break, afternoon: " + second.title.lowercased() + ". " + second.content
                + " " + rng.pick(closings) + " " + attendance
            return (first.title + " / " + second.title, narrative)
        }
        let narrative = rng.pick(openings) + " " + first.content + " " + rng.pick(activities) + " " + rng.pick(closings) + " " + attendance
        return (first.title, narrative)
    }

    // MARK: Member notes

    /// What a member note needs to know about the patient and the session.
    struct MemberContext {
        var status: AttendanceStatus
        var duration: Int
        var phase: Phase?
        var substance: String
        var daysSinceLapse: Int?
        var supervision: SupervisionKind?
        var individual: Modality?
        var familyRelationship: String?
    }

    static let participation = [
        "Participated actively and offered feedback to peers.",
        "Participated when prompted; quieter than usual.",
        "Shared a recent high-risk situation and how it was handled.",
        "Completed the worksheet and shared one example with the group.",
        "Engaged throughout; asked how to apply the skill at work.",
        "Listened attentively and contributed near the end of group.",
    ]
    static let affects = [
        "Affect bright; mood stable.", "Mood anxious but appropriate to content.", "Appeared tired; reports poor sleep this week.",
        "Mood euthymic; engaged and goal-directed.", "Mildly irritable at first; settled as the session went on.",
    ]
    static let planItems = [
        "Practise urge surfing daily and bring notes to the next session.", "Attend at least two mutual-help meetings this week.",
        "Complete the relapse prevention plan worksheet.", "Discuss medication side effects with the prescriber.",
        "Review the triggers list with the primary clinician in individual session.", "Call a support person before any high-risk event this weekend.",
    ]
    static let lateReasons = ["bus delay", "traffic", "work ran over", "childcare fell through", "car trouble"]
    static let leftReasons = ["childcare pick-up", "called in to work", "medical appointment", "felt unwell", "family emergency"]
    static let excuseReasons = [
        "Medical appointment; called two days ahead", "Work shift change; notified 48 hours ahead", "Child sick; called before group",
        "Court date (documented)", "Family funeral", "Scheduled procedure; note on file", "Job interview; gave 48 hours' notice",
    ]

    static func phaseProgress(_ phase: Phase?) -> String {
        switch phase?.name {
        case "Phase I": "Early in treatment; building structure and basic coping skills."
        case "Phase II": "Making steady progress; applies coping skills with some prompting."
        case "Phase III": "Uses coping skills and supports consistently; preparing for less structure."
        case "Aftercare": "Maintaining recovery; uses the group for accountability and support."
        default: "Progress consistent with the treatment plan."
        }
    }

    static func individualContent(_ modality: Modality, context: MemberContext, rng: inout SeededGenerator) -> String {
        switch modality {
        case .cbt: return "Reviewed a thought record on a recent craving; identified the thought \"one won't matter\" and wrote a balanced response."
        case .emdr:
            let before = rng.int(6...9)
            return "Continued EMDR reprocessing of the target memory; distress rating went from \(before) to \(max(1, before - rng.int(2...5))) and validity of the positive belief rose to \(rng.int(4...6))/7. Closed with the calm-place resource."
        case .motivationalInterviewing: return "Explored ambivalence about stopping \(context.substance); client named health, family and work as reasons for change and rated readiness \(rng.int(5...9))/10."
        case .rebt: return "Used the ABC model to dispute the belief \"I can't stand feeling anxious\" and practised a rational coping statement."
        case .caseManagement: return rng.pick([
            "Reviewed transportation, housing and benefits; completed a reduced-fare transit application.",
            "Followed up on the primary care referral and pharmacy coverage for current medications.",
            "Reviewed employment goals and updated résumé; scheduled a vocational appointment.",
        ])
        case .family: return "Met with client and \((context.familyRelationship ?? "family member").lowercased()); practised communication skills and reviewed the relapse prevention plan together."
        case .other: return rng.pick([
            "Peer recovery check-in: reviewed mutual-help meetings, sponsor contact and weekend plans; client set one recovery goal for the week.",
            "Peer recovery check-in: talked through a stressful family event and which supports helped; client plans to attend an alumni event.",
            "Peer recovery check-in: reviewed sober activities and transportation to meetings; shared community recovery resources.",
        ])
        default: return "Reviewed progress toward treatment plan goals."
        }
    }

    /// DAP sections for one member; the wording follows what happened.
    static func memberSections(_ c: MemberContext, rng: inout SeededGenerator) -> [NoteSection] {
        var data = "", assessment = "", plan = ""
        let requirement = c.phase.map(requirement) ?? "the current schedule"
        let use: String
        if let days = c.daysSinceLapse {
            use = "disclosed using \(c.substance) \(days == 0 ? "today" : days == 1 ? "yesterday" : "\(days) days ago")"
        } else {
            use = "reported no use"
        }
        let cravings = "Rated cravings \(rng.int(0...(c.daysSinceLapse == nil ? 5 : 8)))/10 since the last session and \(use)."
        switch c.status {
        case .present, .late, .leftEarly:
            switch c.status {
            case .late(let m): data = "Arrived \(m) minutes late (\(rng.pick(lateReasons))) and attended \(max(0, c.duration - m)) of \(c.duration) minutes. "
            case .leftEarly(let m): data = "Left after \(m) of \(c.duration) minutes (\(rng.pick(leftReasons))). "
            default: data = c.individual == nil ? "Attended the full \(c.duration)-minute session. " : ""
            }
            if let modality = c.individual {
                data += individualContent(modality, context: c, rng: &rng) + " " + cravings
            } else {
                data += cravings + " " + rng.pick(participation)
            }
            assessment = rng.pick(affects) + " " + phaseProgress(c.phase)
            if c.daysSinceLapse != nil { assessment += " Recent use raises relapse risk; safety and coping plan reviewed." }
            plan = "Continue \(requirement). " + rng.pick(planItems)
            if c.daysSinceLapse != nil { plan += " Increase drug screens to twice weekly until reviewed by the treatment team." }
        case .excused(let reason):
            data = "Did not attend; absence excused (\(reason))."
            assessment = "Excused absence; no concerns about engagement at this time."
            plan = "Continue \(requirement). Client to review the session handout before the next session."
        case .absent:
            data = "Did not attend and did not call ahead (unexcused absence). Staff left a voicemail the same day."
            assessment = "Missed session reduces this week's attended time toward \(requirement)."
            plan = "Primary clinician to contact client within 24 hours and review the attendance policy."
        }
        plan += reportingLine(c)
        return [NoteSection(heading: "Data", text: data), NoteSection(heading: "Assessment", text: assessment), NoteSection(heading: "Plan", text: plan)]
    }

    /// Sections in any format: DAP text mapped onto the format's headings.
    /// The plan's last sentence for a supervised patient who missed the session: who the absence is reported to.
    static func reportingLine(_ c: MemberContext) -> String {
        guard let kind = c.supervision, !c.status.attended else { return "" }
        let who: String
        switch kind {
        case .probation: who = "probation officer"
        case .parole: who = "parole agent"
        case .drugCourt: who = "drug court team"
        }
        return " Include in the attendance report to the \(who) per the consent on file."
    }

    static func sections(_ dap: [NoteSection], format: NoteFormat) -> [NoteSection] {
        guard format != .dap, dap.count == 3 else { return dap }
        let headings = format.headings
        switch format {
        case .birp, .girp, .soap:
            return [NoteSection(heading: headings[0], text: dap[0].text), NoteSection(heading: headings[1], text: dap[1].text),
                    NoteSection(heading: headings[2], text: dap[1].text), NoteSection(heading: headings[3], text: dap[2].text)]
        case .dap: return dap
        }
    }

    static let memberAddenda = [
        "Late entry: the client's sponsor called the next morning to confirm the client attended a mutual-help meeting after group. No change to the assessment.",
        "Clarification: the worksheet named under Plan is the relapse prevention plan handed out in group, not a new assignment.",
        "Late entry: client called to report that the craving described above passed after using the urge-surfing skill; no use.",
    ]
    static let groupAddenda = [
        "Addendum: the handout used in this session was added to the shared resources binder in Room 2.",
        "Addendum: a fire drill interrupted the session for about ten minutes; the planned content was completed afterwards.",
    ]
}
