using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pmh.Hosting.Messaging.DeadLetters;

/// <summary>
/// What a dead letter's headers say (MassTransit's <c>MT-Fault-*</c> headers, written when it moved the message to
/// <c>&lt;queue&gt;_error</c>), and the headers a replay sends it with. Shared by the RabbitMQ and the in-memory
/// dead letters. The body is only read for the envelope's <c>messageType</c>, never returned.
/// </summary>
public static partial class DeadLetterHeaders
{
    public const string ErrorSuffix = "_error";

    /// <summary>Counts an operator's replays of a message; set on every replay, one more each time.</summary>
    public const string ReplayCount = "Pmh-Replay-Count";

    public const string Reason = "MT-Reason";
    public const string FaultPrefix = "MT-Fault-";
    public const string FaultExceptionType = "MT-Fault-ExceptionType";
    public const string FaultMessage = "MT-Fault-Message";
    public const string FaultMessageType = "MT-Fault-MessageType";
    public const string FaultTimestamp = "MT-Fault-Timestamp";
    public const string FaultInputAddress = "MT-Fault-InputAddress";
    public const string FaultRedeliveryCount = "MT-Fault-RedeliveryCount";
    public const string RedeliveryCount = "MT-Redelivery-Count";
    public const string MessageTypeHeader = "MT-MessageType";

    /// <summary>Fault reasons are cut to this many characters.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The dead letter a message in <paramref name="errorQueue"/> with these headers (and body) is.</summary>
    public static DeadLetter Describe(
        string errorQueue,
        Guid? messageId,
        IEnumerable<KeyValuePair<string, object?>> headers,
        ReadOnlySpan<byte> body,
        bool withHeaders)
    {
        var text = Texts(headers);
        foreach (var key in text.Keys.ToList())
        {
            text[key] = MaskMyNumbers(text[key]);
        }

        var reason = text.GetValueOrDefault(FaultMessage);
        return new DeadLetter(
            Id: IdOf(messageId, body),
            MessageId: messageId,
            Queue: errorQueue,
            InputQueue: InputQueueOf(errorQueue, text.GetValueOrDefault(FaultInputAddress)),
            MessageType: MessageTypeOf(body) ?? text.GetValueOrDefault(MessageTypeHeader) ?? text.GetValueOrDefault(FaultMessageType),
            FaultType: text.GetValueOrDefault(FaultExceptionType),
            FaultReason: reason is null ? null : Cut(reason),
            FaultedAt: TimestampOf(text.GetValueOrDefault(FaultTimestamp)),
            Redeliveries: CountOf(text.GetValueOrDefault(FaultRedeliveryCount)) ?? CountOf(text.GetValueOrDefault(RedeliveryCount)),
            Replays: CountOf(text.GetValueOrDefault(ReplayCount)),
            Headers: withHeaders ? text : null);
    }

    /// <summary>
    /// The id operators use: the MessageId; for a message without one (not sent by MassTransit), a digest of its body,
    /// the same on every read.
    /// </summary>
    public static string IdOf(Guid? messageId, ReadOnlySpan<byte> body) =>
        messageId is { } id ? id.ToString("D") : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(body))[..32];

    /// <summary>
    /// The queue a replay goes to: the last segment of <c>MT-Fault-InputAddress</c>
    /// (<c>rabbitmq://host/vhost/queue</c>, <c>loopback://localhost/queue</c>), or the error queue's name without
    /// <c>_error</c>.
    /// </summary>
    public static string InputQueueOf(string errorQueue, string? inputAddress)
    {
        if (Uri.TryCreate(inputAddress, UriKind.Absolute, out var address))
        {
            var segment = address.AbsolutePath.TrimEnd('/');
            segment = Uri.UnescapeDataString(segment[(segment.LastIndexOf('/') + 1)..]);
            if (segment.Length > 0)
            {
                return segment;
            }
        }

        return errorQueue.EndsWith(ErrorSuffix, StringComparison.Ordinal) ? errorQueue[..^ErrorSuffix.Length] : errorQueue;
    }

    /// <summary>
    /// The headers a replay sends: the message's own, without what the move to the error queue added
    /// (<c>MT-Fault-*</c>, <c>MT-Reason</c>) and without its delayed-redelivery count (a replayed message gets the
    /// whole retry policy again), with <see cref="ReplayCount"/> one higher.
    /// </summary>
    public static Dictionary<string, object?> ReplayHeaders(IEnumerable<KeyValuePair<string, object?>> headers)
    {
        var replay = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var replays = 0;
        foreach (var (key, value) in headers)
        {
            if (key.Equals(ReplayCount, StringComparison.OrdinalIgnoreCase))
            {
                replays = CountOf(Text(value)) ?? 0;
                continue;
            }

            if (key.StartsWith(FaultPrefix, StringComparison.OrdinalIgnoreCase)
                || key.Equals(Reason, StringComparison.OrdinalIgnoreCase)
                || key.Equals(RedeliveryCount, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            replay[key] = value;
        }

        replay[ReplayCount] = replays + 1;
        return replay;
    }

    /// <summary>The first entry of a MassTransit JSON envelope's <c>messageType</c>; null for any other body.</summary>
    public static string? MessageTypeOf(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessageType = reader.ValueTextEquals("messageType"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isMessageType)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        return reader.GetString();
                    }

                    return reader.TokenType == JsonTokenType.StartArray && reader.Read() && reader.TokenType == JsonTokenType.String
                        ? reader.GetString()
                        : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>Every header as text (AMQP strings arrive as bytes), in a case-insensitive dictionary.</summary>
    public static Dictionary<string, string> Texts(IEnumerable<KeyValuePair<string, object?>> headers)
    {
        var texts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in headers)
        {
            if (Text(value) is { } text)
            {
                texts[key] = text;
            }
        }

        return texts;
    }

    /// <summary>A header value as text: bytes as UTF-8, times as ISO 8601, numbers invariant, lists joined by commas.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        ReadOnlyMemory<byte> memory => Encoding.UTF8.GetString(memory.Span),
        DateTime time => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        RabbitMQ.Client.AmqpTimestamp amqp => DateTimeOffset.FromUnixTimeSeconds(amqp.UnixTime).ToString("O", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Uri uri => uri.ToString(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list => string.Join(",", list.Cast<object?>().Select(Text)),
        _ => value.ToString(),
    };

    /// <summary>
    /// Any run of exactly 12 digits (what a My Number looks like) masked, should an exception message ever have
    /// repeated one; runs joined by hyphens (the last group of a GUID) are left alone.
    /// </summary>
    public static string MaskMyNumbers(string text) => TwelveDigits().Replace(text, "************");

    [GeneratedRegex(@"(?<![\d-])\d{12}(?![\d-])", RegexOptions.CultureInvariant)]
    private static partial Regex TwelveDigits();

    private static string Cut(string reason) => reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];

    private static DateTimeOffset? TimestampOf(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;

    private static int? CountOf(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;
}
