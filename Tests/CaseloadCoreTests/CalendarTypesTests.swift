import CaseloadCore
import Foundation
import Testing

@Suite struct CalendarTypesTests {
    @Test func parsesOnlyRealDates() {
        #expect(LocalDate(iso: "2028-02-29") != nil)
        #expect(LocalDate(iso: "2026-02-29") == nil)
        #expect(LocalDate(iso: "2026-04-31") == nil)
        #expect(LocalDate(iso: "2026-13-01") == nil)
        #expect(LocalDate(iso: "2026-1-01") == nil)
        #expect(LocalDate(iso: "２０２６-01-01") == nil)
        #expect(LocalDate(iso: "") == nil)
    }

    @Test func dayNumbersRoundTripAcrossCenturies() {
        var date = TestDocument.date("1899-12-25")
        for _ in 0..<120_000 {
            let next = date.adding(days: 1)
            #expect(next.dayNumber == date.dayNumber + 1)
            #expect(LocalDate(dayNumber: next.dayNumber) == next)
            #expect(next > date)
            date = next
        }
        #expect(TestDocument.date("1970-01-01").dayNumber == 0)
        #expect(TestDocument.date("2000-03-01").dayNumber == 11017)
    }

    @Test func weekdaysAndWeeks() {
        #expect(TestDocument.date("2026-11-30").weekday == .mon)
        #expect(TestDocument.date("2026-12-06").weekday == .sun)
        #expect(TestDocument.date("2026-12-03").startOfWeek(firstWeekday: .mon) == TestDocument.date("2026-11-30"))
        #expect(TestDocument.date("2026-12-03").startOfWeek(firstWeekday: .sun) == TestDocument.date("2026-11-29"))
        #expect(TestDocument.date("2026-11-30").isoWeek.week == 49)
        #expect(TestDocument.date("2027-01-01").isoWeek == (2026, 53))
        #expect(TestDocument.date("2026-01-01").isoWeek == (2026, 1))
    }

    @Test func timesParseAndPrint() {
        #expect(LocalTime(text: "18:00")?.minutes == 1080)
        #expect(LocalTime(text: "9:05")?.description == "09:05")
        #expect(LocalTime(text: "24:00") == nil)
        #expect(LocalTime(text: "12:60") == nil)
        #expect(LocalTime(text: "12:5") == nil)
        #expect(LocalTime(clamping: 5000).description == "23:59")
    }

    @Test func timestampsRoundTrip() throws {
        let t = try #require(Timestamp(iso: "2026-11-30T23:05:09Z"))
        #expect(t.iso == "2026-11-30T23:05:09Z")
        #expect(Timestamp(t.date) == t)
        #expect(Timestamp(iso: "2026-11-30 23:05:09Z") == nil)
        #expect(Timestamp(iso: "2026-11-30T23:05:09+01:00") == nil)
        #expect(Timestamp(iso: "2026-11-30T23:05:+9Z") == nil)
        #expect(Timestamp(iso: "2026-11-30T23:05:60Z") == nil)
        #expect(Timestamp(seconds: -1).iso == "1969-12-31T23:59:59Z")
    }

    @Test func clockSettingReadsWallClockInTheProgramZone() throws {
        let chicago = try #require(TimeZone(identifier: "America/Chicago"))
        let now = try #require(ClockSetting.parse("2026-11-30T18:05", zone: chicago))
        #expect(Timestamp(now).iso == "2026-12-01T00:05:00Z")
        #expect(ClockSetting.parse("2026-11-30T18:05Z", zone: chicago).map { Timestamp($0).iso } == "2026-11-30T18:05:00Z")
        #expect(ClockSetting.parse("2026-11-30T18:05:30-05:00", zone: chicago).map { Timestamp($0).iso } == "2026-11-30T23:05:30Z")
        #expect(ClockSetting.parse("yesterday", zone: chicago) == nil)
        #expect(ClockSetting.parse("2026-11-31T18:05", zone: chicago) == nil)
    }
}
