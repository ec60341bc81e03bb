import CaseloadCore
import Testing

@Suite struct DateInputTests {
    let today = TestDocument.date("2026-11-30") // a Monday

    @Test(arguments: [
        ("2026-12-01", "2026-12-01"), ("today", "2026-11-30"), ("Tomorrow", "2026-12-01"), ("yesterday", "2026-11-29"),
        ("mon", "2026-11-30"), ("fri", "2026-12-04"), ("sunday", "2026-12-06"), ("wed", "2026-12-02"),
        ("+3d", "2026-12-03"), ("+2w", "2026-12-14"), ("-1w", "2026-11-23"),
    ])
    func understoodForms(text: String, expected: String) {
        #expect(DateInput.parse(text, today: today)?.iso == expected)
    }

    @Test(arguments: ["", "2026-02-30", "someday", "+3", "+xd", "3d", "+99999d", "mo"])
    func refusedForms(text: String) {
        #expect(DateInput.parse(text, today: today) == nil)
    }
}
