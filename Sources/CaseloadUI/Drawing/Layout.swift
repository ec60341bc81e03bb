import Foundation

/// Where things go on a screen of a given size: the full three-pane layout from 80×24, the focused pane alone below that, and a "too small" screen below the minimum.
public struct Layout: Equatable, Sendable {
    public static let fullWidth = 80, fullHeight = 24
    public static let minWidth = 20, minHeight = 6

    public enum Mode: Equatable, Sendable { case full, single, tooSmall }

    public let width: Int
    public let height: Int
    public let mode: Mode
    public let titleBar: Rect
    public let hintBar: Rect
    public let patients: Rect?
    public let week: Rect?
    public let session: Rect?

    public init(width: Int, height: Int, focus: PaneID) {
        self.width = max(0, width)
        self.height = max(0, height)
        if width < Self.minWidth || height < Self.minHeight {
            mode = .tooSmall
            titleBar = Rect(x: 0, y: 0, width: 0, height: 0)
            hintBar = titleBar
            patients = nil; week = nil; session = nil
            return
        }
        titleBar = Rect(x: 0, y: 0, width: width, height: 1)
        hintBar = Rect(x: 0, y: height - 1, width: width, height: 1)
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        if width >= Self.fullWidth && height >= Self.fullHeight {
            mode = .full
            let left = Self.patientsWidth(screenWidth: width, focus: focus)
            // The Session pane gets the rows while it has the keyboard (a roll of ten members, a note's lines).
            let weekHeight = focus == .session ? body.height * 2 / 5 : body.height * 3 / 5
            patients = left > 0 ? Rect(x: 0, y: body.y, width: left, height: body.height) : nil
            week = Rect(x: left, y: body.y, width: width - left, height: weekHeight)
            session = Rect(x: left, y: body.y + weekHeight, width: width - left, height: body.height - weekHeight)
        } else {
            mode = .single
            patients = focus == .patients ? body : nil
            week = focus == .week ? body : nil
            session = focus == .session ? body : nil
        }
    }

    /// Day columns the Week wants while it has the keyboard: room for "IOP-A Eve" and "18:00–21:00" on a line each.
    static let weekDayWidthWanted = 12
    /// The Patients pane is left out rather than squeezed narrower than this.
    static let patientsMinWidth = 26

    /// The Patients pane's width: three tenths of the screen (at least 30 cells); while the Week has the keyboard it
    /// gives the Week what its day columns want, down to `patientsMinWidth`, and below that steps aside altogether.
    static func patientsWidth(screenWidth width: Int, focus: PaneID) -> Int {
        let usual = max(30, width * 3 / 10)
        guard focus == .week else { return usual }
        let weekWants = 2 + WeekGrid.labelWidth + 7 * weekDayWidthWanted
        let left = min(usual, width - weekWants)
        return left >= patientsMinWidth ? left : 0
    }

    public func rect(of pane: PaneID) -> Rect? {
        switch pane {
        case .patients: patients
        case .week: week
        case .session: session
        }
    }

    public func pane(atX x: Int, y: Int) -> PaneID? {
        PaneID.allCases.first { rect(of: $0)?.contains(x: x, y: y) ?? false }
    }
}

/// The Week pane's grid geometry: a label column, seven day columns, half-hour rows that scroll to keep the cursor in view.
struct WeekGrid {
    static let labelWidth = 6
    let inner: Rect
    let dayWidth: Int
    let firstSlot: Int
    let slotCount: Int
    let topSlot: Int
    let visibleRows: Int
    /// Whether the pane's last line describes the selected block in full (when there are rows to spare for it).
    let hasDetailLine: Bool
    /// The days shown: the whole week, or (the day view, or a week too narrow for seven readable columns) the cursor's day.
    let days: Range<Int>

    init(state: AppState, rect: Rect) {
        inner = rect.inset(1)
        let oneDay = state.weekView == .day || (inner.width - Self.labelWidth) / 7 < Self.narrowestDay
        days = oneDay ? state.cursorDay..<(state.cursorDay + 1) : 0..<7
        dayWidth = max(1, (inner.width - Self.labelWidth) / days.count)
        firstSlot = state.gridStartMinutes / 30
        slotCount = max(1, (state.gridEndMinutes + 29) / 30 - firstSlot)
        hasDetailLine = inner.height >= 5
        visibleRows = max(0, inner.height - 1 - (hasDetailLine ? 1 : 0))
        let cursorSlot = state.cursorMinutes / 30 - firstSlot
        // Keep the cursor a third of the way down when the day does not fit.
        let wanted = cursorSlot - visibleRows / 3
        topSlot = max(0, min(wanted, slotCount - visibleRows))
    }

    /// Day columns narrower than this (four cells of text) cannot be read: the day view is shown instead.
    static let narrowestDay = 5

    /// Whether only one day is shown.
    var showsOneDay: Bool { days.count == 1 }

    func x(ofDay day: Int) -> Int { inner.x + Self.labelWidth + (day - days.lowerBound) * dayWidth }
    func y(ofSlot slot: Int) -> Int { inner.y + 1 + slot - topSlot }

    /// The day and time under a screen cell, if it is in the grid.
    func cell(atX x: Int, y: Int) -> (day: Int, minutes: Int)? {
        let day = (x - inner.x - Self.labelWidth)
        let row = y - inner.y - 1
        guard day >= 0, row >= 0, row < visibleRows else { return nil }
        let index = day / dayWidth
        guard index < days.count, topSlot + row < slotCount else { return nil }
        return (days.lowerBound + index, (firstSlot + topSlot + row) * 30)
    }
}
