import Foundation

/// Finds patients named in a text. A group note is copied into every member's chart, so naming another member there
/// discloses them to every reader of that chart (42 CFR Part 2): the note editor warns before saving or signing.
public enum PrivacyCheck {
    /// The patients among `patients` named in `text`, each once, in the given order.
    ///
    /// A name matches as a whole word, ignoring case and accents: the preferred name, and each part of the legal name of
    /// three letters or more. A name that is also a common English word ("grace", "hope", "will") counts only when written
    /// with a capital in the text. A name in a script other than Latin (김민준) written without spaces matches anywhere in the text,
    /// since such names take attached particles.
    public static func mentions(in text: String, of patients: [Patient]) -> [Patient] {
        let words = tokens(of: text)
        let foldedText = PatientSearch.fold(text)
        var result: [Patient] = []
        var seen = Set<PatientID>()
        for patient in patients where !seen.contains(patient.id) {
            if terms(for: patient).contains(where: { $0.occurs(in: words, foldedText: foldedText) }) {
                seen.insert(patient.id)
                result.append(patient)
            }
        }
        return result
    }

    /// Names that are also everyday English words: in lower case they are read as words, not names.
    public static let commonWords: Set<String> = [
        "amber", "angel", "april", "art", "august", "autumn", "baker", "bell", "belle", "bill", "bishop", "brook", "brooke",
        "brown", "bud", "buddy", "bunny", "carol", "chance", "chase", "cherry", "christian", "clay", "cliff", "cook", "cooper",
        "crystal", "daisy", "dale", "dawn", "dean", "destiny", "dick", "don", "dot", "drew", "earl", "eve", "faith", "fern",
        "field", "fisher", "ford", "frank", "gay", "gene", "ginger", "glen", "gold", "golden", "grace", "grant", "gray",
        "green", "grey", "guy", "hall", "harmony", "hazel", "heath", "heather", "hill", "holly", "honey", "hope", "hunter",
        "iris", "ivy", "jack", "jade", "jay", "jewel", "joy", "june", "justice", "king", "lance", "lane", "lee", "liberty",
        "lily", "long", "love", "lucky", "major", "mark", "marsh", "mason", "matt", "max", "may", "melody", "mercy", "miles",
        "miller", "misty", "moss", "nick", "olive", "page", "park", "parker", "pat", "patience", "pearl", "penny", "pepper",
        "price", "rich", "river", "rob", "robin", "rock", "rose", "ruby", "rush", "rusty", "sage", "sandy", "shepherd",
        "sky", "sonny", "spring", "sterling", "stone", "storm", "sue", "summer", "sunny", "sunday", "tad", "taylor",
        "terry", "trinity", "tucker", "victory", "violet", "wade", "walker", "ward", "warren", "west", "white", "will",
        "win", "winter", "wood", "woody", "young",
    ]

    /// A word of the text: its folded form and whether it was written with a capital.
    struct Token {
        var folded: String
        var capitalised: Bool
    }

    /// One way a patient may be named.
    enum Term {
        /// Whole words in a row (folded); `needsCapital` when the name could be read as an ordinary word.
        case words([String], needsCapital: Bool)
        /// A run of characters anywhere in the folded text.
        case substring(String)

        func occurs(in tokens: [Token], foldedText: String) -> Bool {
            switch self {
            case .substring(let name):
                return !name.isEmpty && foldedText.contains(name)
            case .words(let words, let needsCapital):
                guard !words.isEmpty, tokens.count >= words.count else { return false }
                for start in 0...(tokens.count - words.count) {
                    let run = tokens[start..<(start + words.count)]
                    guard zip(run, words).allSatisfy({ $0.folded == $1 }) else { continue }
                    if needsCapital && !(run.first?.capitalised ?? false) { continue }
                    return true
                }
                return false
            }
        }
    }

    /// The ways `patient` may be named: preferred name, legal-name parts, and whole non-Latin names.
    static func terms(for patient: Patient) -> [Term] {
        var result: [Term] = []
        let preferred = (patient.preferredName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let legal = patient.legalName.trimmingCharacters(in: .whitespacesAndNewlines)
        for name in [preferred, legal] where !name.isEmpty && !isLatin(name) && !name.contains(where: \.isWhitespace) {
            result.append(.substring(PatientSearch.fold(name)))
        }
        if !preferred.isEmpty {
            let words = tokens(of: preferred).map(\.folded)
            let ambiguous = words.count == 1 && (commonWords.contains(words[0]) || words[0].count < 3)
            if !words.isEmpty { result.append(.words(words, needsCapital: ambiguous)) }
        }
        for part in tokens(of: legal).map(\.folded) where part.count >= 3 {
            result.append(.words([part], needsCapital: commonWords.contains(part)))
        }
        return result
    }

    /// The words of `text`: runs of letters and digits, folded.
    static func tokens(of text: String) -> [Token] {
        var result: [Token] = []
        var current = ""
        func flush() {
            guard let first = current.first else { return }
            result.append(Token(folded: PatientSearch.fold(current), capitalised: first.isUppercase))
            current = ""
        }
        for character in text {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        return result
    }

    /// Whether every letter of `name` is Latin (with or without accents).
    static func isLatin(_ name: String) -> Bool {
        name.unicodeScalars.allSatisfy { scalar in
            guard scalar.properties.isAlphabetic else { return true }
            switch scalar.value {
            case 0x0000...0x024F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF: return true
            default: return false
            }
        }
    }
}
