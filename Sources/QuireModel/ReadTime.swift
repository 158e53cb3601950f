import Foundation

/// When a paper was marked read, as state.json keeps it: exactly "YYYY-MM-DDTHH:MM:SSZ",
/// UTC, whole seconds. Written and read by hand from the bytes: Foundation's date
/// formatters cost microseconds a date, which a state of a million read papers cannot pay
/// at every start.
public enum ReadTime {
  /// The form every complaint about a bad time shows.
  public static let example = "2026-11-29T23:47:05Z"

  /// The earliest and latest times the form can hold (years of four digits).
  static let earliest = Date(timeIntervalSince1970: -62_167_219_200)  // 0000-01-01T00:00:00Z
  static let latest = Date(timeIntervalSince1970: 253_402_300_799)  // 9999-12-31T23:59:59Z

  /// The time's 20 bytes; times outside years 0000–9999 are written as the nearest the form holds.
  public static func append(_ date: Date, to out: inout [UInt8]) {
    let clamped = min(max(date, earliest), latest)
    let seconds = Int(clamped.timeIntervalSince1970.rounded(.down))
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let day = PublishedDate(Date(timeIntervalSince1970: Double(days) * 86_400))
    let inDay = seconds - days * 86_400
    digits(day.year, 4, to: &out)
    out.append(0x2D)
    digits(day.month, 2, to: &out)
    out.append(0x2D)
    digits(day.day, 2, to: &out)
    out.append(0x54)  // T
    digits(inDay / 3600, 2, to: &out)
    out.append(0x3A)
    digits(inDay / 60 % 60, 2, to: &out)
    out.append(0x3A)
    digits(inDay % 60, 2, to: &out)
    out.append(0x5A)  // Z
  }

  public static func text(_ date: Date) -> String {
    var out: [UInt8] = []
    append(date, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  private static func digits(_ value: Int, _ count: Int, to out: inout [UInt8]) {
    var divisor = 1
    for _ in 1..<count { divisor *= 10 }
    while divisor > 0 {
      out.append(0x30 + UInt8(value / divisor % 10))
      divisor /= 10
    }
  }

  /// The time in exactly the form `append` writes, with a real day of the month and no
  /// leap second (which could not be written back the same); nil for anything else.
  static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Date? {
    guard b.count == 20, b[19] == 0x5A, let seconds = seconds(b) else { return nil }
    return Date(timeIntervalSince1970: Double(seconds))
  }

  /// The seconds since 1970 of the "YYYY-MM-DDTHH:MM:SS" that `b` starts with; nil when
  /// it does not start with a real time in that form.
  static func seconds(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
    guard b.count >= 19, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A
    else { return nil }
    func number(_ from: Int, _ count: Int) -> Int? {
      var value = 0
      for index in from..<(from + count) {
        let digit = Int(b[index]) &- 0x30
        guard digit >= 0, digit <= 9 else { return nil }
        value = value * 10 + digit
      }
      return value
    }
    guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
      let minute = number(14, 2), let second = number(17, 2), (1...12).contains(month),
      day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
    else { return nil }
    let days = PublishedDate.daysSinceEpoch(year: year, month: month, day: day)
    return days * 86_400 + hour * 3600 + minute * 60 + second
  }

  public static func parse(_ text: String) -> Date? {
    var text = text
    return text.withUTF8 { parse($0) }
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}
