import CaseloadCore

/// Note text for the large demo, charted as programs chart: longer, varied group narratives and DAP member notes of
/// realistic length (about 300–900 characters), built from phrase banks with the seeded generator. Every word is invented.
///
/// The small demo keeps `DemoText`'s shorter notes, so its bytes (and the screens and golden files built on it) do not change.
enum DemoChartText {
    // MARK: Group notes

    static let openings = [
        "Group opened with a check-in: each member rated mood and cravings from 0 to 10 and named one recovery task from the past week.",
        "The facilitator opened with a three-minute breathing exercise and reviewed group agreements, including confidentiality and respectful feedback.",
        "Members checked in on sleep, cravings, mutual-help meetings and any high-risk situations since the last session.",
        "Session began with a review of last week's assignment; most members had completed it and shared one thing they learned.",
        "Group opened with a brief mindfulness exercise followed by a round of check-ins on the week's stressors and supports.",
        "The facilitator welcomed members, noted the session's topic on the board and invited a short check-in from each person.",
        "Check-in focused on the weekend: members described plans that had worked and moments that had felt risky.",
    ]
    static let interventions = [
        "The facilitator used psychoeducation, open questions and reflective listening to connect the material to members' recent experiences.",
        "Interventions included modelling the skill, guided practice in pairs and corrective feedback from the facilitator.",
        "The facilitator summarised common themes, normalised ambivalence about change and reinforced change talk when it appeared.",
        "The facilitator drew on motivational interviewing: eliciting members' own reasons for change and affirming small steps.",
        "A short handout summarised the key points; the facilitator checked understanding with each member before moving on.",
        "The facilitator linked the topic to the relapse prevention plans members are building and asked each to add one item.",
    ]
    static let activities = [
        "Members applied the material to situations from their own week and gave each other specific, supportive feedback.",
        "Members completed the worksheet in pairs and reported back to the whole group.",
        "Two members volunteered for a role-play; the rest of the group offered alternative responses afterwards.",
        "Discussion stayed focused and supportive; several members offered peer feedback on coping plans.",
        "Members wrote one personal example on an index card and discussed it in small groups before sharing with everyone.",
        "The group brainstormed coping responses on the board and each member chose two to try before the next session.",
    ]
    static let processNotes = [
        "Group cohesion was good; newer members were encouraged by peers with more time in the program.",
        "Energy was lower than usual at the start and improved once the exercise began.",
        "One member became tearful while sharing; the group responded with support and the facilitator checked in privately after group.",
        "Members were candid about cravings; the facilitator reinforced that talking about urges is a sign of engagement, not failure.",
        "Side conversations were redirected once; the group otherwise stayed on task.",
        "Humour was used appropriately and helped members discuss difficult material.",
    ]
    static let closings = [
        "Group closed with each member naming one commitment for the coming days.",
        "The session ended with a review of recovery goals, upcoming mutual-help meetings and the crisis line number.",
        "The facilitator closed with a grounding exercise and a reminder of the attendance policy.",
        "Members set a between-session assignment related to today's topic; it will be reviewed at the next group.",
        "Group ended on time with a brief check-out; no safety concerns were raised.",
    ]

    /// The topic and narrative of a held group session (it never names a member: it is copied into every member's chart).
    static func groupNote(modality: Modality, index: Int, attended: Int, members: Int, isWorkshop: Bool,
                          rng: inout SeededGenerator) -> (topic: String, narrative: String) {
        let pool = DemoText.topics(for: modality)
        let first = pool[index % pool.count]
        let attendance = "\(attended) of \(members) rostered members attended."
        if isWorkshop {
            let second = pool[(index + 3) % pool.count]
            let narrative = rng.pick(openings) + " Morning: " + first.title.lowercased() + ". " + first.content + " "
                + rng.pick(interventions) + " After the lunch break, afternoon: " + second.title.lowercased() + ". " + second.content
                + " " + rng.pick(activities) + " " + rng.pick(processNotes) + " " + rng.pick(closings) + " " + attendance
            return (first.title + " / " + second.title, narrative)
        }
        var narrative = rng.pick(openings) + " " + first.content + " " + rng.pick(interventions) + " " + rng.pick(activities)
        if rng.chance(600) { narrative += " " + rng.pick(processNotes) }
        narrative += " " + rng.pick(closings) + " " + attendance
        return (first.title, narrative)
    }

    // MARK: Member notes

    static let groupParticipation = [
        "Participated actively and offered peers concrete feedback.",
        "Participated when prompted; quieter than usual but attentive.",
        "Shared a recent high-risk situation and how it was handled.",
        "Completed the worksheet and gave one personal example to the group.",
        "Engaged throughout and asked how to apply the skill at work.",
        "Listened attentively and contributed near the end of group.",
        "Described a conflict at home and received supportive feedback from peers.",
        "Volunteered for the role-play and practised the refusal skill twice.",
        "Spoke about progress since admission and encouraged a newer member.",
        "Was initially guarded; opened up after the facilitator's check-in.",
    ]
    /// Sentences about the session's topic: the text before and after the topic's name.
    static let topicLinks: [(String, String)] = [
        ("Related the topic (", ") to a recent trigger at work."),
        ("Said the topic (", ") was the most useful this month and plans to practise it daily."),
        ("Connected the topic (", ") to a family gathering planned for the weekend."),
        ("Struggled to apply the topic (", ") at first and named one situation to try it in."),
        ("Gave a clear example of the topic (", ") from the past week."),
    ]
    static let affects = [
        "Affect bright and congruent; mood stable.", "Mood anxious but appropriate to content.",
        "Appeared tired; reports poor sleep this week.", "Mood euthymic; engaged and goal-directed.",
        "Mildly irritable at first; settled as the session went on.", "Affect flat early on; brightened when discussing family.",
        "Calm, well groomed and oriented; speech normal in rate and tone.", "Mood low but denied thoughts of self-harm when asked.",
    ]
    static let insights = [
        "Demonstrates growing insight into the link between stress and cravings.",
        "Insight fair; still minimises the role of weekend routines in past use.",
        "Uses peer support more readily than at admission.",
        "Motivation appears internal rather than driven only by outside requirements.",
        "Is beginning to notice early warning signs before they become urges.",
        "Recognises progress but remains ambivalent about changing social circles.",
    ]
    static let planItems = [
        "Practise urge surfing daily and bring notes to the next session.", "Attend at least two mutual-help meetings this week.",
        "Complete the relapse prevention plan worksheet.", "Discuss medication side effects with the prescriber.",
        "Review the triggers list with the primary clinician in individual session.",
        "Call a support person before any high-risk event this weekend.", "Keep a daily mood and craving log.",
        "Schedule two substance-free activities with family.", "Follow up with the case manager about transportation.",
        "Use the breathing skill before the shift starts each day.", "Update the phone list of safe supports.",
        "Review the session handout and mark the parts that apply.",
    ]

    /// The check-in figures of a member note: mood, cravings, sleep, meetings and use.
    static func checkIn(_ c: DemoText.MemberContext, rng: inout SeededGenerator) -> String {
        let use: String
        if let days = c.daysSinceLapse {
            use = "disclosed using \(c.substance) \(days == 0 ? "today" : days == 1 ? "yesterday" : "\(days) days ago")"
        } else {
            use = "reported no use of \(c.substance) or other substances"
        }
        let cravingsTop = c.daysSinceLapse == nil ? 5 : 8
        let meetings = rng.int(0...4)
        return "Rated mood \(rng.int(3...9))/10 and cravings \(rng.int(0...cravingsTop))/10 since the last session, slept about "
            + "\(rng.int(4...8)) hours a night and attended \(meetings == 1 ? "1 mutual-help meeting" : "\(meetings) mutual-help meetings"); \(use)."
    }

    /// DAP sections for one member, about 300–900 characters in all; the wording follows what happened.
    static func memberSections(_ c: DemoText.MemberContext, topic: String?, rng: inout SeededGenerator) -> [NoteSection] {
        var data = "", assessment = "", plan = ""
        let requirement = c.phase.map(DemoText.requirement) ?? "the current schedule"
        switch c.status {
        case .present, .late, .leftEarly:
            switch c.status {
            case .late(let m): data = "Arrived \(m) minutes late (\(rng.pick(DemoText.lateReasons))) and attended \(max(0, c.duration - m)) of \(c.duration) minutes. "
            case .leftEarly(let m): data = "Left after \(m) of \(c.duration) minutes (\(rng.pick(DemoText.leftReasons))). "
            default: data = c.individual == nil ? "Attended the full \(c.duration)-minute session. " : ""
            }
            if let modality = c.individual {
                data += DemoText.individualContent(modality, context: c, rng: &rng) + " " + checkIn(c, rng: &rng)
            } else {
                data += checkIn(c, rng: &rng) + " " + rng.pick(groupParticipation)
                if let topic, rng.chance(700) {
                    let link = rng.pick(topicLinks)
                    data += " " + link.0 + topic.lowercased() + link.1
                }
            }
            assessment = rng.pick(affects) + " " + DemoText.phaseProgress(c.phase) + " " + rng.pick(insights)
            if c.daysSinceLapse != nil {
                assessment += " Recent use raises relapse risk; safety and coping plan reviewed, and client agreed to call a support before acting on an urge."
            }
            let items = rng.sample(planItems, count: 2)
            plan = "Continue \(requirement). " + items.joined(separator: " ")
            if c.daysSinceLapse != nil { plan += " Increase drug screens to twice weekly until reviewed by the treatment team." }
        case .excused(let reason):
            data = "Did not attend; absence excused (\(reason)). Client called ahead and confirmed the next appointment."
            assessment = "Excused absence; no concerns about engagement at this time. " + rng.pick(insights)
            plan = "Continue \(requirement). Client to review the session handout before the next session and make up the missed time this week."
        case .absent:
            data = "Did not attend and did not call ahead (unexcused absence). Staff left a voicemail the same day and sent a text reminder of the next session."
            assessment = "Missed session reduces this week's attended time toward \(requirement). Pattern of attendance to be reviewed with the client."
            plan = "Primary clinician to contact client within 24 hours, review the attendance policy and problem-solve barriers to attending."
        }
        plan += DemoText.reportingLine(c)
        return [NoteSection(heading: "Data", text: data), NoteSection(heading: "Assessment", text: assessment), NoteSection(heading: "Plan", text: plan)]
    }
}
