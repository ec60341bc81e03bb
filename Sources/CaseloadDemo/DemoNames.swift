/// Synthetic name pools in several scripts. Names are combined at random, so any likeness to a real person is chance.
enum DemoNames {
    enum Gender: Sendable { case female, male, nonbinary }

    /// A generated person's names.
    struct Person: Sendable {
        var legalName: String
        var preferredName: String?
        /// ASCII `given.family`, for the example.org e-mail address.
        var emailStem: String
        var gender: Gender
        /// Index of the culture in `cultures`, so relatives get names from the same pool.
        var culture: Int
        /// The family name as written in the legal name (gendered forms differ).
        var familyName: String
    }

    struct Given: Sendable {
        let name: String
        let ascii: String
        /// A preferred name people use day to day ("Dima" for Дмитрий, "Liz" for Elizabeth).
        let nickname: String?
        init(_ name: String, _ ascii: String, _ nickname: String? = nil) {
            self.name = name; self.ascii = ascii; self.nickname = nickname
        }
    }

    struct Family: Sendable {
        let male: String
        let female: String
        let ascii: String
        init(_ male: String, _ female: String? = nil, _ ascii: String) {
            self.male = male; self.female = female ?? male; self.ascii = ascii
        }
    }

    enum Style: Sendable {
        /// "Given Family".
        case western
        /// "FamilyGiven" with no space (Korean, Chinese).
        case familyFirstJoined
        /// "Family Middle Given" (Vietnamese).
        case vietnamese
        /// "Given Family" with an occasional second surname (Spanish).
        case spanish
    }

    struct Culture: Sendable {
        let female: [Given]
        let male: [Given]
        let family: [Family]
        let style: Style
        /// Written in a non-Latin script: the preferred name is often the romanized given name.
        let nonLatin: Bool
        /// Relative weight among patients.
        let weight: Int
        var middleFemale: [String] = []
        var middleMale: [String] = []
    }

    static let neutral: [Given] = [
        Given("Alex", "alex"), Given("Jordan", "jordan"), Given("Riley", "riley"), Given("Casey", "casey"),
        Given("Quinn", "quinn"), Given("Avery", "avery"), Given("Rowan", "rowan"), Given("Sam", "sam"),
    ]

    static let cultures: [Culture] = [
        // English-speaking American
        Culture(
            female: [
                Given("Emily", "emily"), Given("Sarah", "sarah"), Given("Jessica", "jessica", "Jess"), Given("Ashley", "ashley"),
                Given("Megan", "megan"), Given("Rachel", "rachel"), Given("Hannah", "hannah"), Given("Lauren", "lauren"),
                Given("Brittany", "brittany"), Given("Amanda", "amanda", "Mandy"), Given("Katherine", "katherine", "Katie"),
                Given("Elizabeth", "elizabeth", "Liz"), Given("Jennifer", "jennifer", "Jen"), Given("Samantha", "samantha", "Sam"),
                Given("Margaret", "margaret", "Maggie"), Given("Victoria", "victoria", "Tori"), Given("Zoë", "zoe"), Given("Chloe", "chloe"),
                Given("Courtney", "courtney"), Given("Heather", "heather"),
            ],
            male: [
                Given("Michael", "michael", "Mike"), Given("Christopher", "christopher", "Chris"), Given("Matthew", "matthew", "Matt"),
                Given("Joshua", "joshua", "Josh"), Given("Daniel", "daniel", "Danny"), Given("David", "david"), Given("James", "james", "Jimmy"),
                Given("Robert", "robert", "Bobby"), Given("William", "william", "Will"), Given("Tyler", "tyler"), Given("Brandon", "brandon"),
                Given("Kyle", "kyle"), Given("Justin", "justin"), Given("Andrew", "andrew", "Drew"), Given("Nicholas", "nicholas", "Nick"),
                Given("Benjamin", "benjamin", "Ben"), Given("Theodore", "theodore", "Teddy"), Given("Cody", "cody"), Given("Travis", "travis"),
                Given("Dustin", "dustin"),
            ],
            family: [
                "Miller", "Anderson", "Thompson", "Walker", "Harris", "Clark", "Lewis", "Young", "Hall", "Allen", "Wright", "King",
                "Scott", "Green", "Baker", "Adams", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell",
                "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper",
                "Peterson", "Reed", "Bailey", "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Bennett", "Gray",
                "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "Schultz", "Becker", "Olson", "Hansen", "Lindgren",
            ].map { Family($0, nil, ascii($0)) },
            style: .western, nonLatin: false, weight: 300
        ),
        // African American
        Culture(
            female: [
                Given("Aaliyah", "aaliyah"), Given("Imani", "imani"), Given("Keisha", "keisha"), Given("Jasmine", "jasmine", "Jazz"),
                Given("Tamika", "tamika"), Given("Ebony", "ebony"), Given("Destiny", "destiny"), Given("Shanice", "shanice"),
                Given("Latoya", "latoya"), Given("Nia", "nia"),
            ],
            male: [
                Given("DeShawn", "deshawn"), Given("Jamal", "jamal"), Given("Malik", "malik"), Given("Terrence", "terrence", "Terry"),
                Given("Darnell", "darnell"), Given("Andre", "andre", "Dre"), Given("Tyrone", "tyrone"), Given("Reginald", "reginald", "Reggie"),
                Given("Cedric", "cedric"), Given("Jerome", "jerome"),
            ],
            family: [
                "Johnson", "Washington", "Jackson", "Robinson", "Williams", "Jefferson", "Banks", "Coleman", "Freeman", "Brooks",
                "Simmons", "Gaines", "Hollis", "Whitaker",
            ].map { Family($0, nil, ascii($0)) },
            style: .western, nonLatin: false, weight: 120
        ),
        // Spanish-speaking
        Culture(
            female: [
                Given("María", "maria"), Given("Lucía", "lucia"), Given("Sofía", "sofia"), Given("Ana", "ana"),
                Given("Guadalupe", "guadalupe", "Lupe"), Given("Verónica", "veronica", "Vero"), Given("Carmen", "carmen"),
                Given("Ximena", "ximena"), Given("Daniela", "daniela", "Dani"), Given("Rosario", "rosario", "Chayo"),
            ],
            male: [
                Given("José", "jose", "Pepe"), Given("Jesús", "jesus", "Chuy"), Given("Luis", "luis"), Given("Andrés", "andres"),
                Given("Martín", "martin"), Given("Héctor", "hector"), Given("Raúl", "raul"), Given("Joaquín", "joaquin"),
                Given("Francisco", "francisco", "Paco"), Given("Ignacio", "ignacio", "Nacho"),
            ],
            family: [
                Family("Núñez", nil, "nunez"), Family("García", nil, "garcia"), Family("Hernández", nil, "hernandez"),
                Family("Martínez", nil, "martinez"), Family("Rodríguez", nil, "rodriguez"), Family("López", nil, "lopez"),
                Family("González", nil, "gonzalez"), Family("Pérez", nil, "perez"), Family("Sánchez", nil, "sanchez"),
                Family("Ramírez", nil, "ramirez"), Family("Ortiz", nil, "ortiz"), Family("Muñoz", nil, "munoz"),
                Family("Jiménez", nil, "jimenez"), Family("Gutiérrez", nil, "gutierrez"), Family("Peña", nil, "pena"),
                Family("Castañeda", nil, "castaneda"),
            ],
            style: .spanish, nonLatin: false, weight: 180
        ),
        // Vietnamese
        Culture(
            female: [
                Given("Mai", "mai"), Given("Lan", "lan"), Given("Hương", "huong"), Given("Thảo", "thao"), Given("Linh", "linh"),
                Given("Trang", "trang"),
            ],
            male: [
                Given("Minh", "minh"), Given("Tuấn", "tuan"), Given("Dũng", "dung"), Given("Hùng", "hung"), Given("Long", "long"),
                Given("Khoa", "khoa"),
            ],
            family: [
                Family("Nguyễn", nil, "nguyen"), Family("Trần", nil, "tran"), Family("Lê", nil, "le"), Family("Phạm", nil, "pham"),
                Family("Hoàng", nil, "hoang"), Family("Võ", nil, "vo"), Family("Đặng", nil, "dang"), Family("Bùi", nil, "bui"),
            ],
            style: .vietnamese, nonLatin: false, weight: 50,
            middleFemale: ["Thị", "Ngọc", "Thu"], middleMale: ["Văn", "Đức", "Quốc"]
        ),
        // Korean (Hangul)
        Culture(
            female: [
                Given("서연", "seoyeon", "Seo-yeon"), Given("수진", "sujin", "Su-jin"), Given("하은", "haeun", "Ha-eun"),
                Given("예은", "yeeun", "Ye-eun"), Given("지유", "jiyu", "Ji-yu"),
            ],
            male: [
                Given("민준", "minjun", "Min-jun"), Given("지훈", "jihoon", "Ji-hoon"), Given("도윤", "doyun", "Do-yun"),
                Given("현우", "hyunwoo", "Hyun-woo"), Given("성민", "sungmin", "Sung-min"),
            ],
            family: [
                Family("김", nil, "kim"), Family("이", nil, "lee"), Family("박", nil, "park"), Family("최", nil, "choi"),
                Family("정", nil, "jung"), Family("강", nil, "kang"), Family("조", nil, "cho"), Family("윤", nil, "yoon"),
            ],
            style: .familyFirstJoined, nonLatin: true, weight: 40
        ),
        // Chinese (Han characters)
        Culture(
            female: [
                Given("静", "jing", "Jing"), Given("丽", "li", "Li"), Given("敏", "min", "Min"), Given("芳", "fang", "Fang"),
                Given("婷", "ting", "Ting"),
            ],
            male: [
                Given("伟", "wei", "Wei"), Given("磊", "lei", "Lei"), Given("洋", "yang", "Yang"), Given("强", "qiang", "Qiang"),
                Given("军", "jun", "Jun"),
            ],
            family: [
                Family("陈", nil, "chen"), Family("王", nil, "wang"), Family("张", nil, "zhang"), Family("刘", nil, "liu"),
                Family("黄", nil, "huang"), Family("赵", nil, "zhao"), Family("周", nil, "zhou"), Family("吴", nil, "wu"),
            ],
            style: .familyFirstJoined, nonLatin: true, weight: 40
        ),
        // Russian (Cyrillic)
        Culture(
            female: [
                Given("Анна", "anna", "Anya"), Given("Ольга", "olga", "Olya"), Given("Наталья", "natalya", "Natasha"),
                Given("Екатерина", "ekaterina", "Katya"), Given("Татьяна", "tatyana", "Tanya"),
            ],
            male: [
                Given("Дмитрий", "dmitri", "Dima"), Given("Алексей", "aleksei", "Lyosha"), Given("Иван", "ivan", "Vanya"),
                Given("Михаил", "mikhail", "Misha"), Given("Сергей", "sergei", "Sergei"),
            ],
            family: [
                Family("Волков", "Волкова", "volkov"), Family("Смирнов", "Смирнова", "smirnov"), Family("Иванов", "Иванова", "ivanov"),
                Family("Петров", "Петрова", "petrov"), Family("Козлов", "Козлова", "kozlov"), Family("Морозов", "Морозова", "morozov"),
                Family("Соколов", "Соколова", "sokolov"), Family("Лебедев", "Лебедева", "lebedev"),
            ],
            style: .western, nonLatin: true, weight: 50
        ),
        // Arabic (Arabic script)
        Culture(
            female: [
                Given("فاطمة", "fatima", "Fatima"), Given("ليلى", "layla", "Layla"), Given("مريم", "maryam", "Maryam"),
                Given("نور", "nour", "Nour"), Given("أمل", "amal", "Amal"),
            ],
            male: [
                Given("عمر", "omar", "Omar"), Given("يوسف", "yusuf", "Yusuf"), Given("خالد", "khalid", "Khalid"),
                Given("سامي", "sami", "Sami"), Given("كريم", "karim", "Karim"),
            ],
            family: [
                Family("السيد", nil, "alsayed"), Family("حداد", nil, "haddad"), Family("منصور", nil, "mansour"),
                Family("خليل", nil, "khalil"), Family("ناصر", nil, "nasser"), Family("سليمان", nil, "suleiman"),
            ],
            style: .western, nonLatin: true, weight: 40
        ),
        // Irish
        Culture(
            female: [
                Given("Siobhán", "siobhan"), Given("Aoife", "aoife"), Given("Niamh", "niamh"), Given("Róisín", "roisin"),
                Given("Caoimhe", "caoimhe", "Keeva"), Given("Orlaith", "orlaith"),
            ],
            male: [
                Given("Seán", "sean"), Given("Ciarán", "ciaran"), Given("Pádraig", "padraig", "Paddy"), Given("Eoin", "eoin"),
                Given("Cathal", "cathal"), Given("Oisín", "oisin"),
            ],
            family: [
                Family("Ó Briain", "Ní Bhriain", "obriain"), Family("Ó Súilleabháin", "Ní Shúilleabháin", "osullivan"),
                Family("Mac Cárthaigh", "Nic Cárthaigh", "mccarthy"), Family("O'Brien", nil, "obrien"), Family("Byrne", nil, "byrne"),
                Family("Doyle", nil, "doyle"), Family("Gallagher", nil, "gallagher"), Family("Kavanagh", nil, "kavanagh"),
            ],
            style: .western, nonLatin: false, weight: 40
        ),
        // Turkish
        Culture(
            female: [
                Given("Ayşe", "ayse"), Given("Elif", "elif"), Given("Zeynep", "zeynep"), Given("Merve", "merve"), Given("Büşra", "busra"),
            ],
            male: [
                Given("Emre", "emre"), Given("Mehmet", "mehmet"), Given("Burak", "burak"), Given("Çağrı", "cagri"), Given("Oğuz", "oguz"),
            ],
            family: [
                Family("Yılmaz", nil, "yilmaz"), Family("Demir", nil, "demir"), Family("Kaya", nil, "kaya"), Family("Şahin", nil, "sahin"),
                Family("Çelik", nil, "celik"), Family("Öztürk", nil, "ozturk"), Family("Aydın", nil, "aydin"), Family("Arslan", nil, "arslan"),
            ],
            style: .western, nonLatin: false, weight: 30
        ),
        // Polish
        Culture(
            female: [
                Given("Małgorzata", "malgorzata", "Gosia"), Given("Agnieszka", "agnieszka", "Aga"), Given("Katarzyna", "katarzyna", "Kasia"),
                Given("Joanna", "joanna", "Asia"), Given("Zofia", "zofia", "Zosia"),
            ],
            male: [
                Given("Łukasz", "lukasz"), Given("Paweł", "pawel"), Given("Krzysztof", "krzysztof", "Krzysiek"),
                Given("Tomasz", "tomasz", "Tomek"), Given("Wojciech", "wojciech", "Wojtek"),
            ],
            family: [
                Family("Wiśniewski", "Wiśniewska", "wisniewski"), Family("Kowalczyk", nil, "kowalczyk"), Family("Nowak", nil, "nowak"),
                Family("Zieliński", "Zielińska", "zielinski"), Family("Wójcik", nil, "wojcik"), Family("Kamiński", "Kamińska", "kaminski"),
            ],
            style: .western, nonLatin: false, weight: 40
        ),
        // Greek (Greek script)
        Culture(
            female: [Given("Ελένη", "eleni", "Eleni"), Given("Κατερίνα", "katerina", "Katerina"), Given("Σοφία", "sofia", "Sophia")],
            male: [Given("Γιώργος", "giorgos", "George"), Given("Νίκος", "nikos", "Nick"), Given("Κώστας", "kostas", "Kostas")],
            family: [
                Family("Παπαδόπουλος", "Παπαδοπούλου", "papadopoulos"), Family("Γεωργίου", nil, "georgiou"),
                Family("Οικονόμου", nil, "oikonomou"), Family("Αλεξίου", nil, "alexiou"),
            ],
            style: .western, nonLatin: true, weight: 20
        ),
    ]

    /// The people the issue asks for by name, used first so even a small demo shows every script.
    static let featured: [Person] = [
        Person(legalName: "José Núñez", preferredName: "Pepe", emailStem: "jose.nunez", gender: .male, culture: 2, familyName: "Núñez"),
        Person(legalName: "Nguyễn Thị Mai", preferredName: "Mai", emailStem: "mai.nguyen", gender: .female, culture: 3, familyName: "Nguyễn"),
        Person(legalName: "김민준", preferredName: nil, emailStem: "minjun.kim", gender: .male, culture: 4, familyName: "김"),
        Person(legalName: "Zoë O'Brien", preferredName: nil, emailStem: "zoe.obrien", gender: .female, culture: 0, familyName: "O'Brien"),
        Person(legalName: "Aaliyah Johnson", preferredName: nil, emailStem: "aaliyah.johnson", gender: .female, culture: 1, familyName: "Johnson"),
        Person(legalName: "Дмитрий Волков", preferredName: "Dima", emailStem: "dmitri.volkov", gender: .male, culture: 6, familyName: "Волков"),
        Person(legalName: "فاطمة السيد", preferredName: "Fatima Al-Sayed", emailStem: "fatima.alsayed", gender: .female, culture: 7, familyName: "السيد"),
        Person(legalName: "陈静", preferredName: "Jing", emailStem: "jing.chen", gender: .female, culture: 5, familyName: "陈"),
        Person(legalName: "Siobhán Ní Bhriain", preferredName: nil, emailStem: "siobhan.nibhriain", gender: .female, culture: 8, familyName: "Ní Bhriain"),
        Person(legalName: "Emre Yılmaz", preferredName: nil, emailStem: "emre.yilmaz", gender: .male, culture: 9, familyName: "Yılmaz"),
        Person(legalName: "Rowan Gallagher", preferredName: nil, emailStem: "rowan.gallagher", gender: .nonbinary, culture: 8, familyName: "Gallagher"),
        Person(legalName: "Małgorzata Wiśniewska", preferredName: "Gosia", emailStem: "malgorzata.wisniewska", gender: .female, culture: 10, familyName: "Wiśniewska"),
    ]

    /// Lower-case ASCII letters of an already-ASCII name ("O'Brien" → "obrien").
    static func ascii(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0.isASCII && (("a"..."z").contains($0)) }.map(Character.init))
    }

    /// A new random person; `featuredIndex` takes the next featured person while any are left.
    static func person(featuredIndex: Int?, using rng: inout SeededGenerator) -> Person {
        if let i = featuredIndex, featured.indices.contains(i) { return featured[i] }
        let cultureIndex = rng.weighted(cultures.map(\.weight))
        let culture = cultures[cultureIndex]
        let roll = rng.below(100)
        let gender: Gender = roll < 4 ? .nonbinary : (roll < 50 ? .female : .male)
        let given: Given
        switch gender {
        case .female: given = rng.pick(culture.female)
        case .male: given = rng.pick(culture.male)
        case .nonbinary: given = culture.nonLatin || culture.style != .western ? rng.pick(culture.female + culture.male) : rng.pick(neutral)
        }
        let family = rng.pick(culture.family)
        let familyName = gender == .female ? family.female : family.male
        var legal: String
        var stem = given.ascii + "." + family.ascii
        switch culture.style {
        case .western:
            legal = given.name + " " + familyName
        case .familyFirstJoined:
            legal = familyName + given.name
        case .vietnamese:
            let middle = rng.pick(gender == .male ? culture.middleMale : culture.middleFemale)
            legal = familyName + " " + middle + " " + given.name
        case .spanish:
            legal = given.name + " " + familyName
            if rng.chance(300) {
                let second = rng.pick(culture.family)
                if second.ascii != family.ascii {
                    legal += " " + second.male
                    stem += "." + second.ascii
                }
            }
        }
        var preferred: String? = nil
        if culture.nonLatin {
            if rng.chance(650) { preferred = given.nickname ?? capitalized(given.ascii) }
        } else if culture.style == .vietnamese {
            if rng.chance(500) { preferred = given.name }
        } else if let nick = given.nickname, rng.chance(350) {
            preferred = nick
        }
        return Person(legalName: legal, preferredName: preferred, emailStem: stem, gender: gender, culture: cultureIndex, familyName: familyName)
    }

    /// A relative or friend to call in an emergency, named from the same pool.
    static func contactName(for person: Person, relationship: String, using rng: inout SeededGenerator) -> String {
        let culture = cultures[min(max(0, person.culture), cultures.count - 1)]
        let female = ["Mother", "Sister", "Wife", "Aunt", "Grandmother", "Daughter"].contains(relationship)
            || (["Partner", "Friend", "Sponsor", "Roommate"].contains(relationship) && rng.chance(500))
        let given = rng.pick(female ? culture.female : culture.male)
        let related = ["Mother", "Father", "Sister", "Brother", "Aunt", "Uncle", "Grandmother", "Daughter", "Son"].contains(relationship)
        let family: String
        if related {
            // Same family name, in the relative's gendered form where the language has one.
            let match = culture.family.first { $0.male == person.familyName || $0.female == person.familyName }
            family = match.map { female ? $0.female : $0.male } ?? person.familyName
        } else {
            let other = rng.pick(culture.family)
            family = female ? other.female : other.male
        }
        switch culture.style {
        case .familyFirstJoined: return family + given.name
        case .vietnamese:
            let middle = rng.pick(female ? culture.middleFemale : culture.middleMale)
            return family + " " + middle + " " + given.name
        case .western, .spanish: return given.name + " " + family
        }
    }

    static func capitalized(_ ascii: String) -> String { ascii.prefix(1).uppercased() + ascii.dropFirst() }
}
