import CaseloadCore

/// Clinical pools for the demo: diagnoses, medications, drug screen panels, plan templates, referral sources, legal contacts.
enum DemoClinical {
    /// A patient's primary substance and what follows from it.
    struct Substance: Sendable {
        let code: String
        let description: String
        /// How notes and plans name it ("alcohol", "opioids").
        let label: String
        /// Panel entries that turn positive when the patient uses.
        let screens: [String]
        let weight: Int
    }

    static let substances: [Substance] = [
        Substance(code: "F10.20", description: "Alcohol dependence, uncomplicated", label: "alcohol", screens: [], weight: 34),
        Substance(code: "F11.20", description: "Opioid dependence, uncomplicated", label: "opioids", screens: ["Opiates", "Oxycodone"], weight: 24),
        Substance(code: "F12.20", description: "Cannabis dependence, uncomplicated", label: "cannabis", screens: ["THC"], weight: 12),
        Substance(code: "F14.20", description: "Cocaine dependence, uncomplicated", label: "cocaine", screens: ["Cocaine"], weight: 11),
        Substance(code: "F15.20", description: "Other stimulant dependence, uncomplicated", label: "methamphetamine", screens: ["Methamphetamine", "Amphetamine"], weight: 14),
        Substance(code: "F13.20", description: "Sedative, hypnotic or anxiolytic dependence, uncomplicated", label: "benzodiazepines", screens: ["Benzodiazepines"], weight: 5),
    ]

    static let secondary: [Diagnosis] = [
        Diagnosis(code: "F12.20", description: "Cannabis dependence, uncomplicated"),
        Diagnosis(code: "F17.210", description: "Nicotine dependence, cigarettes, uncomplicated"),
        Diagnosis(code: "F10.10", description: "Alcohol abuse, uncomplicated"),
        Diagnosis(code: "F14.10", description: "Cocaine abuse, uncomplicated"),
    ]

    /// Co-occurring conditions and problems (ICD-10-CM F and Z codes).
    enum Condition: Int, CaseIterable, Sendable {
        case anxiety, depression, recurrentDepression, ptsd, partnerConflict, unemployment, legalProblems, homelessness

        var diagnosis: Diagnosis {
            switch self {
            case .anxiety: Diagnosis(code: "F41.1", description: "Generalized anxiety disorder")
            case .depression: Diagnosis(code: "F32.1", description: "Major depressive disorder, single episode, moderate")
            case .recurrentDepression: Diagnosis(code: "F33.1", description: "Major depressive disorder, recurrent, moderate")
            case .ptsd: Diagnosis(code: "F43.10", description: "Post-traumatic stress disorder, unspecified")
            case .partnerConflict: Diagnosis(code: "Z63.0", description: "Problems in relationship with spouse or partner")
            case .unemployment: Diagnosis(code: "Z56.0", description: "Unemployment, unspecified")
            case .legalProblems: Diagnosis(code: "Z65.3", description: "Problems related to other legal circumstances")
            case .homelessness: Diagnosis(code: "Z59.00", description: "Homelessness, unspecified")
            }
        }
    }

    /// The 12-panel urine cup, in panel order.
    static let panel = [
        "Amphetamine", "Barbiturates", "Benzodiazepines", "Buprenorphine", "Cocaine", "MDMA",
        "Methadone", "Methamphetamine", "Opiates", "Oxycodone", "PCP", "THC",
    ]
    static let panelName = "12-panel urine cup"

    /// A medication as prescribed, and the panel entry it shows up on.
    struct MedicationTemplate: Sendable {
        let name: String
        let dose: String
        let schedule: String
        let controlled: Bool
        let showsAs: String?
        init(_ name: String, _ dose: String, _ schedule: String, controlled: Bool = false, showsAs: String? = nil) {
            self.name = name; self.dose = dose; self.schedule = schedule; self.controlled = controlled; self.showsAs = showsAs
        }
    }

    static let buprenorphine = MedicationTemplate("Buprenorphine-naloxone", "8 mg/2 mg sublingual film", "once daily", controlled: true, showsAs: "Buprenorphine")
    static let methadone = MedicationTemplate("Methadone", "80 mg oral solution", "once daily, dosed at the opioid treatment program", controlled: true, showsAs: "Methadone")
    static let naltrexoneXR = MedicationTemplate("Naltrexone extended-release", "380 mg IM injection", "every 4 weeks")
    static let naltrexone = MedicationTemplate("Naltrexone", "50 mg tablet", "once daily")
    static let acamprosate = MedicationTemplate("Acamprosate", "666 mg tablet", "three times daily")
    static let sertraline = MedicationTemplate("Sertraline", "100 mg tablet", "once daily")
    static let escitalopram = MedicationTemplate("Escitalopram", "10 mg tablet", "once daily")
    static let bupropion = MedicationTemplate("Bupropion XL", "150 mg tablet", "once daily in the morning")
    static let clonazepam = MedicationTemplate("Clonazepam", "0.5 mg tablet", "twice daily as needed for panic", controlled: true, showsAs: "Benzodiazepines")
    static let hydroxyzine = MedicationTemplate("Hydroxyzine", "25 mg capsule", "up to three times daily as needed for anxiety")
    static let prazosin = MedicationTemplate("Prazosin", "2 mg capsule", "at bedtime")
    static let trazodone = MedicationTemplate("Trazodone", "50 mg tablet", "at bedtime as needed for sleep")
    static let mirtazapine = MedicationTemplate("Mirtazapine", "15 mg tablet", "at bedtime")
    static let nicotinePatch = MedicationTemplate("Nicotine patch", "21 mg/24 h", "one patch daily")

    /// The panel entry a prescribed medication shows up on, if any.
    static func panelEntry(forMedication name: String) -> String? {
        switch name {
        case buprenorphine.name: buprenorphine.showsAs
        case methadone.name: methadone.showsAs
        case clonazepam.name: clonazepam.showsAs
        default: nil
        }
    }

    static let prescribers = [
        "Dr. A. Okafor (psychiatry)", "Dr. L. Brennan (primary care)", "Dr. S. Varga (addiction medicine)",
        "Dr. M. Castellano (opioid treatment program)", "Dr. R. Whitlock (psychiatry)",
    ]

    /// Referral sources for patients without legal supervision (those referred by probation or a court get theirs from `makeLegal`).
    static let referralSources = [
        "Self-referred", "Primary care physician", "Emergency department", "Hospital detox unit",
        "Residential treatment (step-down)", "Employee assistance program", "Family member", "Community mental health center",
        "Mutual-help sponsor", "College counseling center",
    ]

    static let relationships = [
        "Mother", "Father", "Sister", "Brother", "Wife", "Husband", "Partner", "Friend", "Sponsor", "Aunt", "Grandmother", "Daughter", "Son",
    ]

    /// A supervising officer or court contact (all synthetic).
    struct Officer: Sendable {
        let kind: SupervisionKind
        let name: String
        let agency: String
        let email: String
    }

    static let officers: [Officer] = [
        Officer(kind: .probation, name: "Officer R. Castillo", agency: "County Adult Probation Department", email: "r.castillo@probation.example.org"),
        Officer(kind: .probation, name: "Officer T. Whitfield", agency: "County Adult Probation Department", email: "t.whitfield@probation.example.org"),
        Officer(kind: .probation, name: "Officer J. Mendel", agency: "County Adult Probation Department", email: "j.mendel@probation.example.org"),
        Officer(kind: .drugCourt, name: "N. Pruitt, Drug Court Coordinator", agency: "Adult Drug Court, Circuit Court", email: "n.pruitt@court.example.org"),
        Officer(kind: .drugCourt, name: "Judge M. Ferrante", agency: "Adult Drug Court, Circuit Court", email: "drugcourt@court.example.org"),
        Officer(kind: .parole, name: "Agent D. Sorensen", agency: "State Parole Division", email: "d.sorensen@parole.example.org"),
        Officer(kind: .probation, name: "Officer K. Abara", agency: "County Adult Probation Department", email: "k.abara@probation.example.org"),
    ]

    /// A fictional number in the reserved 555-0100 … 555-0199 range.
    static func phone(using rng: inout SeededGenerator) -> String {
        let area = rng.pick(["312", "773", "630", "708", "847"])
        let line = 100 + rng.below(100)
        return "\(area)-555-0\(line)"
    }
}
