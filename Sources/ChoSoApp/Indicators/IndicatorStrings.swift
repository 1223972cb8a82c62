import ChoSoCore

/// The indicator pages' fixed strings (issue 17), merged into `UIStrings`.
enum IndicatorStrings {
    static let all: [String: LocalizedText] = [
        "navIndicators": .init(vi: "Chỉ tiêu", en: "Indicators"),
        "indicatorsTitle": .init(vi: "Chỉ tiêu chuyển đổi số", en: "Digital-transformation indicators"),
        "indicatorsTable": .init(vi: "Bảng chỉ tiêu theo đơn vị", en: "Indicators by unit"),
        "indicatorsAsOf": .init(vi: "Số liệu đến ngày", en: "Figures as of"),
        "indicatorsTree": .init(vi: "Cây đơn vị", en: "Unit tree"),
        "indicatorsDate": .init(vi: "Đến ngày", en: "As of"),
        "indicatorsPeriod": .init(vi: "Kỳ (2026-10, 2026-Q3, 2026)", en: "Period (2026-10, 2026-Q3, 2026)"),
        "indicatorCoverage": .init(vi: "Độ phủ sổ hộ", en: "Register coverage"),
        "indicatorTarget": .init(vi: "Chỉ tiêu:", en: "Target:"),
        "indicatorsLegend": .init(vi: "Tên các chỉ tiêu", en: "What the codes mean"),
        "indicatorsFreeze": .init(vi: "Chốt số liệu", en: "Freeze a period"),
        "indicatorsFreezeHint": .init(vi: "Bản chốt được lưu nguyên như hiện nay, kèm người chốt và thời điểm. Số liệu đến sau được đánh dấu là đến muộn; khi đó có thể chốt bản mới.",
                                      en: "The frozen report is kept as it is now, with who froze it and when. Data arriving later is flagged as late; a new version can then be made."),
        "indicatorsFreezeButton": .init(vi: "Chốt số liệu", en: "Freeze"),
        "indicatorsReports": .init(vi: "Các bản đã chốt", en: "Frozen reports"),
        "indicatorsLate": .init(vi: "Có số liệu đến sau khi chốt: số hiện nay khác bản đã chốt", en: "Data arrived after the freeze: today's figures differ from the frozen ones"),
        "indicatorsFrozenValue": .init(vi: "Khi chốt", en: "When frozen"),
        "indicatorsNowValue": .init(vi: "Hiện nay", en: "Now"),
        "indicatorsNewVersion": .init(vi: "Chốt bản mới", en: "Freeze a new version"),
        "indicatorsBack": .init(vi: "Về bảng chỉ tiêu", en: "Back to the indicators"),
        "indicatorsBefore": .init(vi: "Bản trước", en: "Before"),
        "indicatorsAfter": .init(vi: "Bản này", en: "This version"),
        "indicator": .init(vi: "Chỉ tiêu", en: "Indicator"),
        "indicatorsExcel": .init(vi: "Tải báo cáo Excel", en: "Download the Excel report"),
        "indicatorsCSV": .init(vi: "Tải CSV", en: "Download CSV"),
    ]
}
