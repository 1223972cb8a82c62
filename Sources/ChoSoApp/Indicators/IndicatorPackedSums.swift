import ChoSoCore

/// Sums of table rows keyed by one packed integer (level, grain, bucket, unit, measure), for
/// rebuilding the aggregates of a province: tens of millions of string keys would not fit in
/// memory, their integers do.
struct IndicatorPackedSums {
    private var sums: [UInt64: Int64] = [:]
    private var unitIndex: [String: UInt64] = [:]
    private var units: [String] = []
    private var measureIndex: [String: UInt64] = [:]
    private var measures: [String] = []

    private mutating func index(unit: String) -> UInt64 {
        if let index = unitIndex[unit] { return index }
        units.append(unit)
        unitIndex[unit] = UInt64(units.count - 1)
        return UInt64(units.count - 1)
    }

    private mutating func index(measure: String) -> UInt64 {
        if let index = measureIndex[measure] { return index }
        measures.append(measure)
        measureIndex[measure] = UInt64(measures.count - 1)
        return UInt64(measures.count - 1)
    }

    /// year (12 bits) | month (4 bits) | day (5 bits); month and day 0 for the coarser grains.
    private static func bucket(_ day: Day, _ grain: IndicatorGrain) -> UInt64 {
        let month = grain == .year ? 0 : UInt64(day.month), dayOfMonth = grain == .day ? UInt64(day.day) : 0
        return UInt64(day.year) << 9 | month << 5 | dayOfMonth
    }

    mutating func add(_ key: IndicatorCountKey, _ value: Int64, parent: String?) {
        guard value != 0 else { return }
        let measure = index(measure: key.measure)
        var levels = [(UInt64(0), index(unit: key.unit))]
        if let parent { levels.append((1, index(unit: parent))) }
        for grain in IndicatorGrain.allCases {
            let bucket = Self.bucket(key.day, grain)
            for (level, unit) in levels {
                sums[level << 60 | UInt64(grain.rawValue) << 58 | bucket << 32 | unit << 8 | measure, default: 0] += value
            }
        }
    }

    struct Row { var level: Int, grain: Int, bucket: String, unit: String, measure: String, value: Int64 }

    /// The non-zero rows in key order.
    func rows() -> [Row] {
        sums.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { key, value in
            let grain = IndicatorGrain(rawValue: Int(key >> 58 & 0b11))!
            let packed = key >> 32 & 0x1F_FFFF
            let day = Day(year: Int(packed >> 9), month: max(1, Int(packed >> 5 & 0xF)), day: max(1, Int(packed & 0x1F)))
            return Row(level: Int(key >> 60), grain: grain.rawValue, bucket: grain.bucket(day), unit: units[Int(key >> 8 & 0xFF_FFFF)],
                       measure: measures[Int(key & 0xFF)], value: value)
        }
    }
}
