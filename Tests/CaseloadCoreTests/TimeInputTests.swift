import CaseloadCore
import Testing

@Suite struct TimeInputTests {
    @Test func times() {
        #expect(TimeInput.time("18:00") == LocalTime(hour: 18, minute: 0))
        #expect(TimeInput.time("6:30") == LocalTime(hour: 6, minute: 30))
        #expect(TimeInput.time("1800") == LocalTime(hour: 18, minute: 0))
        #expect(TimeInput.time("930") == LocalTime(hour: 9, minute: 30))
        #expect(TimeInput.time("6pm") == LocalTime(hour: 18, minute: 0))
        #expect(TimeInput.time("6:30 PM") == LocalTime(hour: 18, minute: 30))
        #expect(TimeInput.time("12am") == LocalTime(hour: 0, minute: 0))
        #expect(TimeInput.time("12pm") == LocalTime(hour: 12, minute: 0))
        #expect(TimeInput.time("noon") == LocalTime(hour: 12, minute: 0))
        for bad in ["", "25:00", "18:60", "13pm", "six", "18:0", "1:2:3", "-1"] { #expect(TimeInput.time(bad) == nil, "\(bad)") }
    }

    @Test func durations() {
        #expect(TimeInput.duration("3h") == 180)
        #expect(TimeInput.duration("90m") == 90)
        #expect(TimeInput.duration("90") == 90)
        #expect(TimeInput.duration("1h30") == 90)
        #expect(TimeInput.duration("1:30") == 90)
        #expect(TimeInput.duration("1.5h") == 90)
        #expect(TimeInput.duration("45 min") == 45)
        for bad in ["", "0", "3", "17h", "h", "abc", "-30"] { #expect(TimeInput.duration(bad) == nil, "\(bad)") }
        #expect(TimeInput.durationText(180) == "3 h")
        #expect(TimeInput.durationText(90) == "1 h 30")
        #expect(TimeInput.durationText(45) == "45 min")
    }

    @Test func weekdays() {
        #expect(TimeInput.weekdays("mon wed thu") == [.mon, .wed, .thu])
        #expect(TimeInput.weekdays("Thursday, Monday") == [.mon, .thu])
        #expect(TimeInput.weekdays("tu th sa") == [.tue, .thu, .sat])
        #expect(TimeInput.weekdays("") == nil)
        #expect(TimeInput.weekdays("mon funday") == nil)
        #expect(TimeInput.weekdays("t") == nil)
        #expect(TimeInput.weekdaysText([.mon, .wed, .thu]) == "Mon Wed Thu")
    }
}
