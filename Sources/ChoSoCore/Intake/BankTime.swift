import Foundation

/// Reading and writing the times banks and providers send, by hand: Foundation's date formatters
/// cost tens of microseconds to make on Linux and are not safe to share between threads, and
/// the intake reads one or two times per delivery at thousands of deliveries a second.
public enum BankTime {
    /// `yyyy-MM-dd HH:mm:ss` (SePay, Casso, payOS) or `dd/MM/yyyy[ HH:mm[:ss]]` (Vietnamese
    /// statements), a wall-clock time in `timeZone`. Nil for anything else or an impossible date.
    public static func parseLocal(_ text: String, timeZone: TimeZone) -> Date? {
        let bytes = Array(text.utf8.drop { $0 == 0x20 }.reversed().drop { $0 == 0x20 }.reversed())
        var reader = Reader(bytes: bytes)
        let year: Int, month: Int, day: Int
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-") {
            guard let y = reader.digits(4), reader.skip("-"), let m = reader.digits(2), reader.skip("-"), let d = reader.digits(2) else { return nil }
            (year, month, day) = (y, m, d)
        } else {
            guard let d = reader.digits(1...2), reader.skip("/"), let m = reader.digits(1...2), reader.skip("/"), let y = reader.digits(4) else { return nil }
            (year, month, day) = (y, m, d)
        }
        var hour = 0, minute = 0, second = 0
        if !reader.atEnd {
            guard reader.skip(" ") || reader.skip("T"), let h = reader.digits(1...2), reader.skip(":"), let mi = reader.digits(2) else { return nil }
            (hour, minute) = (h, mi)
            if reader.skip(":") {
                guard let s = reader.digits(2) else { return nil }
                second = s
            }
            guard reader.atEnd else { return nil }
        }
        guard let wall = secondsSinceEpoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second) else { return nil }
        // The offset at that moment; asked twice so that a zone with summer time lands right.
        let guess = Date(timeIntervalSince1970: TimeInterval(wall - timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall)))))
        return Date(timeIntervalSince1970: TimeInterval(wall - timeZone.secondsFromGMT(for: guess)))
    }

    /// `yyyy-MM-dd HH:mm:ss` in `timeZone`.
    public static func formatLocal(_ date: Date, timeZone: TimeZone) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        let (year, month, day) = civil(fromDays: seconds.floorDivided(by: 86_400))
        let time = seconds.floorModulo(86_400)
        return "\(pad(year, 4))-\(pad(month))-\(pad(day)) \(pad(time / 3600)):\(pad(time / 60 % 60)):\(pad(time % 60))"
    }

    /// ISO 8601 with an offset: `2026-11-25T10:15:00+07:00`, `…Z`, fractions of a second allowed.
    public static func parseISO8601(_ text: String) -> Date? {
        var reader = Reader(bytes: Array(text.utf8))
        guard let year = reader.digits(4), reader.skip("-"), let month = reader.digits(2), reader.skip("-"), let day = reader.digits(2),
              reader.skip("T") || reader.skip("t") || reader.skip(" "),
              let hour = reader.digits(2), reader.skip(":"), let minute = reader.digits(2), reader.skip(":"), let second = reader.digits(2)
        else { return nil }
        var fraction = 0.0
        if reader.skip(".") {
            var scale = 0.1
            var any = false
            while let digit = reader.digit() {
                fraction += Double(digit) * scale
                scale /= 10
                any = true
            }
            guard any else { return nil }
        }
        let offset: Int
        if reader.skip("Z") || reader.skip("z") {
            offset = 0
        } else {
            let sign: Int
            if reader.skip("+") { sign = 1 } else if reader.skip("-") { sign = -1 } else { return nil }
            guard let hours = reader.digits(2) else { return nil }
            _ = reader.skip(":")
            guard let minutes = reader.digits(2), hours <= 14, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard reader.atEnd,
              let wall = secondsSinceEpoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(wall - offset) + fraction)
    }

    /// `2026-11-25T03:15:00Z`, whole seconds.
    public static func formatISO8601(_ date: Date) -> String {
        formatLocal(date, timeZone: TimeZone(secondsFromGMT: 0)!).replacingOccurrences(of: " ", with: "T") + "Z"
    }

    // MARK: Plausibility

    public enum Plausibility: Sendable, Equatable { case plausible, tooEarly, tooLate }

    /// The earliest bank time ChoSo believes: 2000-01-01 00:00 UTC. Anything earlier is a zero or
    /// made-up timestamp (1970-01-01 is what 0 becomes), not a transfer ChoSo can receive.
    public static let earliestPlausible = Date(timeIntervalSince1970: 946_684_800)

    /// How far after ChoSo's clock a bank time may be: a clock off by minutes or a time zone
    /// mixed up by hours, not more than a day (year 9999 is a placeholder, not a time).
    public static let plausibleLead: TimeInterval = 86_400

    /// Whether a time a bank or provider gave can be a transfer's time, against the clock `now`.
    public static func plausibility(of time: Date, now: Date) -> Plausibility {
        if time < earliestPlausible { return .tooEarly }
        if time > now.addingTimeInterval(plausibleLead) { return .tooLate }
        return .plausible
    }

    // MARK: Calendar arithmetic (proleptic Gregorian, as ISO 8601)

    static func secondsSinceEpoch(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        return days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (H. Hinnant's algorithm).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int? {
            guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else { return nil }
            defer { index += 1 }
            return Int(bytes[index] - 0x30)
        }

        mutating func digits(_ count: Int) -> Int? { digits(count...count) }

        mutating func digits(_ counts: ClosedRange<Int>) -> Int? {
            var value = 0, read = 0
            while read < counts.upperBound, let digit = digit() {
                value = value * 10 + digit
                read += 1
            }
            return read >= counts.lowerBound ? value : nil
        }
    }
}

extension Int {
    func floorDivided(by divisor: Int) -> Int { (self >= 0 ? self : self - divisor + 1) / divisor }
    func floorModulo(_ divisor: Int) -> Int { self - floorDivided(by: divisor) * divisor }
}
