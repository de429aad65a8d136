namespace Pmh.Contracts.Identifiers;

/// <summary>
/// 個人番号 (My Number): 12 digits, the last a check digit. It exists only at the boundary where a municipality
/// publishes data or the card issuer registers a card, and is turned into a person key at once. It never prints
/// itself (<see cref="ToString"/> is masked) and has no serializable property, so it cannot leak into a log line or
/// a message by accident.
/// </summary>
public readonly struct MyNumber : IIdentifier<MyNumber>, IEquatable<MyNumber>
{
    private readonly string? _digits;

    private MyNumber(string digits) => _digits = digits;

    public static bool TryParse(string? value, out MyNumber result, out string? error)
    {
        result = default;
        if (string.IsNullOrEmpty(value))
        {
            error = IdentifierErrors.Required;
            return false;
        }

        if (!CheckDigits.IsDigits(value, 12))
        {
            error = IdentifierErrors.Digits(12);
            return false;
        }

        if (CheckDigits.MyNumber(value.AsSpan(0, 11)) != value[11] - '0')
        {
            error = IdentifierErrors.CheckDigit;
            return false;
        }

        result = new MyNumber(value);
        error = null;
        return true;
    }

    public static MyNumber Parse(string? value) => Identifier.Parse<MyNumber>(value);

    /// <summary>Makes a valid My Number from 11 digits by appending the check digit (tests and demo data).</summary>
    public static MyNumber FromBody(string first11) =>
        new(first11 + CheckDigits.MyNumber(first11).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The digits, for the keyed hash that turns them into a person key. Call nowhere else.</summary>
    public string RevealDigits() => _digits ?? throw new InvalidOperationException("The My Number is empty.");

    public bool IsEmpty => _digits is null;

    public override string ToString() => "************";

    public bool Equals(MyNumber other) => string.Equals(_digits, other._digits, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is MyNumber other && Equals(other);

    public override int GetHashCode() => _digits is null ? 0 : StringComparer.Ordinal.GetHashCode(_digits);

    public static bool operator ==(MyNumber left, MyNumber right) => left.Equals(right);

    public static bool operator !=(MyNumber left, MyNumber right) => !left.Equals(right);
}
