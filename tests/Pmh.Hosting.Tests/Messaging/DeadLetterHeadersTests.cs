using System.Text;
using Pmh.Hosting.Messaging.DeadLetters;

namespace Pmh.Hosting.Tests.Messaging;

public class DeadLetterHeadersTests
{
    private static readonly Guid MessageId = Guid.Parse("0b1c2d3e-0000-4000-8000-000000000001");

    /// <summary>Headers as MassTransit's RabbitMQ error transport leaves them: strings arrive as UTF-8 bytes.</summary>
    private static List<KeyValuePair<string, object?>> RabbitMqFaultHeaders(string reason = "The part cannot be applied") =>
    [
        new("MT-Reason", Bytes("fault")),
        new("MT-Fault-ExceptionType", Bytes("System.InvalidOperationException")),
        new("MT-Fault-Message", Bytes(reason)),
        new("MT-Fault-Timestamp", Bytes("2026-12-02T09:15:30.1234567Z")),
        new("MT-Fault-InputAddress", Bytes("rabbitmq://127.0.0.1:5673/pmh/subsidy-publish-certificates")),
        new("MT-Fault-StackTrace", Bytes("   at Somewhere()")),
        new("MT-Fault-RetryCount", 3),
        new("MT-Host-MachineName", Bytes("hub-1")),
        new("Content-Type", Bytes("application/vnd.masstransit+json")),
        new("Pmh-Tenant", Bytes("131016")),
    ];

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static readonly byte[] Envelope = Bytes("""
        {"messageId":"0b1c2d3e-0000-4000-8000-000000000001","conversationId":"x",
         "messageType":["urn:message:Pmh.Contracts.Subsidy:PublishCertificates","urn:message:Pmh.Contracts:IMunicipalBatchPart"],
         "message":{"myNumber":"123456789018","name":"山田太郎"},"headers":{}}
        """);

    [Fact]
    public void A_dead_letter_is_described_by_its_fault_headers_and_its_envelope_type()
    {
        var letter = DeadLetterHeaders.Describe("subsidy-publish-certificates_error", MessageId, RabbitMqFaultHeaders(), Envelope, withHeaders: false);

        Assert.Equal(MessageId.ToString(), letter.Id);
        Assert.Equal(MessageId, letter.MessageId);
        Assert.Equal("subsidy-publish-certificates_error", letter.Queue);
        Assert.Equal("subsidy-publish-certificates", letter.InputQueue);
        Assert.Equal("urn:message:Pmh.Contracts.Subsidy:PublishCertificates", letter.MessageType);
        Assert.Equal("System.InvalidOperationException", letter.FaultType);
        Assert.Equal("The part cannot be applied", letter.FaultReason);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 9, 15, 30, TimeSpan.Zero).AddTicks(1234567), letter.FaultedAt);
        Assert.Null(letter.Redeliveries);
        Assert.Null(letter.Replays);
        Assert.Null(letter.Headers);
    }

    [Fact]
    public void Nothing_of_the_body_but_its_type_is_in_a_dead_letter_even_with_its_headers()
    {
        var letter = DeadLetterHeaders.Describe("q_error", MessageId, RabbitMqFaultHeaders(), Envelope, withHeaders: true);

        var all = string.Join("|", letter.Headers!.Select(h => h.Key + "=" + h.Value)) + letter;
        Assert.DoesNotContain("123456789018", all, StringComparison.Ordinal);
        Assert.DoesNotContain("山田", all, StringComparison.Ordinal);
        Assert.Equal("fault", letter.Headers!["MT-Reason"]);
        Assert.Equal("3", letter.Headers["mt-fault-retrycount"]);
        Assert.Equal("131016", letter.Headers["Pmh-Tenant"]);
    }

    [Fact]
    public void Twelve_digits_in_a_fault_reason_or_header_are_masked_but_message_ids_are_not()
    {
        var reason = "Row 3: person 123456789018 refused; part 0b1c2d3e-0000-4000-8000-000000000001; code 1310123458";

        var letter = DeadLetterHeaders.Describe("q_error", MessageId, RabbitMqFaultHeaders(reason), Envelope, withHeaders: true);

        Assert.Equal("Row 3: person ************ refused; part 0b1c2d3e-0000-4000-8000-000000000001; code 1310123458", letter.FaultReason);
        Assert.Equal(letter.FaultReason, letter.Headers!["MT-Fault-Message"]);
        Assert.Equal("x************y", DeadLetterHeaders.MaskMyNumbers("x123456789018y"));
        Assert.Equal("1234567890123", DeadLetterHeaders.MaskMyNumbers("1234567890123"));
    }

    [Fact]
    public void A_long_fault_reason_is_cut_at_500_characters()
    {
        var letter = DeadLetterHeaders.Describe("q_error", MessageId, RabbitMqFaultHeaders(new string('x', 2000)), Envelope, withHeaders: false);

        Assert.Equal(DeadLetterHeaders.MaxReasonLength, letter.FaultReason!.Length);
    }

    [Fact]
    public void Redeliveries_and_replays_are_read_from_their_headers()
    {
        List<KeyValuePair<string, object?>> headers = [.. RabbitMqFaultHeaders(), new("MT-Redelivery-Count", 2), new("Pmh-Replay-Count", Bytes("1"))];

        var letter = DeadLetterHeaders.Describe("q_error", MessageId, headers, Envelope, withHeaders: false);

        Assert.Equal(2, letter.Redeliveries);
        Assert.Equal(1, letter.Replays);
    }

    [Theory]
    [InlineData("subsidy-publish-certificates_error", "rabbitmq://127.0.0.1:5673/pmh/subsidy-publish-certificates", "subsidy-publish-certificates")]
    [InlineData("access-recorded_error", "rabbitmq://127.0.0.1:5673/access-recorded?temporary=false", "access-recorded")]
    [InlineData("access-recorded_error", "loopback://localhost/access-recorded", "access-recorded")]
    [InlineData("access-recorded_error", null, "access-recorded")]
    [InlineData("access-recorded_error", "not a uri", "access-recorded")]
    public void The_input_queue_is_the_fault_input_address_or_the_error_queue_without_its_suffix(string queue, string? address, string expected) =>
        Assert.Equal(expected, DeadLetterHeaders.InputQueueOf(queue, address));

    [Fact]
    public void A_replay_drops_the_fault_headers_and_the_redelivery_count_and_counts_itself()
    {
        List<KeyValuePair<string, object?>> headers = [.. RabbitMqFaultHeaders(), new("MT-Redelivery-Count", 2)];

        var first = DeadLetterHeaders.ReplayHeaders(headers);
        var second = DeadLetterHeaders.ReplayHeaders([.. first, new("MT-Fault-Message", Bytes("again"))]);

        Assert.DoesNotContain(first.Keys, k => k.StartsWith("MT-Fault-", StringComparison.Ordinal) || k is "MT-Reason" or "MT-Redelivery-Count");
        Assert.Equal("application/vnd.masstransit+json", DeadLetterHeaders.Text(first["Content-Type"]));
        Assert.Equal("131016", DeadLetterHeaders.Text(first["Pmh-Tenant"]));
        Assert.Equal(1, first[DeadLetterHeaders.ReplayCount]);
        Assert.Equal(2, second[DeadLetterHeaders.ReplayCount]);
        Assert.DoesNotContain("MT-Fault-Message", second.Keys);
    }

    [Fact]
    public void The_message_type_is_read_from_an_envelope_whatever_comes_before_it()
    {
        var body = Bytes("""{"message":{"a":[1,{"messageType":"inner"}]},"messageType":["urn:message:A:B"]}""");

        Assert.Equal("urn:message:A:B", DeadLetterHeaders.MessageTypeOf(body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"message":{}}""")]
    [InlineData("""{"messageType":""")]
    public void A_body_that_is_no_envelope_has_no_message_type(string body) =>
        Assert.Null(DeadLetterHeaders.MessageTypeOf(Bytes(body)));

    [Fact]
    public void Without_an_envelope_type_the_fault_message_type_header_names_it()
    {
        List<KeyValuePair<string, object?>> headers = [.. RabbitMqFaultHeaders(), new("MT-Fault-MessageType", "urn:message:X:Y")];

        Assert.Equal("urn:message:X:Y", DeadLetterHeaders.Describe("q_error", MessageId, headers, Bytes("raw"), false).MessageType);
    }

    [Fact]
    public void A_message_without_a_message_id_has_a_stable_id_from_its_body()
    {
        var one = DeadLetterHeaders.IdOf(null, Envelope);

        Assert.StartsWith("sha256-", one, StringComparison.Ordinal);
        Assert.Equal(one, DeadLetterHeaders.IdOf(null, Envelope));
        Assert.NotEqual(one, DeadLetterHeaders.IdOf(null, Bytes("other")));
        Assert.DoesNotContain("1234", one[7..], StringComparison.Ordinal); // a digest, not the content
    }

    [Fact]
    public void Header_values_become_text()
    {
        Assert.Equal("abc", DeadLetterHeaders.Text(Bytes("abc")));
        Assert.Equal("42", DeadLetterHeaders.Text(42L));
        Assert.Equal("1.5", DeadLetterHeaders.Text(1.5));
        Assert.Equal("true", DeadLetterHeaders.Text(true));
        Assert.Equal("2026-12-02T00:00:00.0000000Z", DeadLetterHeaders.Text(new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("1970-01-01T00:01:40.0000000+00:00", DeadLetterHeaders.Text(new RabbitMQ.Client.AmqpTimestamp(100)));
        Assert.Equal("a,1", DeadLetterHeaders.Text(new List<object> { Bytes("a"), 1 }));
        Assert.Null(DeadLetterHeaders.Text(null));
    }

    [Theory]
    [InlineData("amqp://guest:guest@127.0.0.1:5673/", null, "http://guest:guest@127.0.0.1:15672/")]
    [InlineData("amqps://hub:s%40cret@mq.example:5671/pmh", null, "https://hub:s%40cret@mq.example:15672/")]
    [InlineData("amqp://guest:guest@127.0.0.1:5673/", "http://op:pw@127.0.0.1:15673/", "http://op:pw@127.0.0.1:15673/")]
    public void The_management_url_is_configured_or_the_amqp_host_on_15672(string amqp, string? configured, string expected) =>
        Assert.Equal(new Uri(expected), RabbitMqDeadLetters.ManagementUrlFor(new Uri(amqp), configured));

    [Theory]
    [InlineData("amqp://guest:guest@127.0.0.1:5673/", "/")]
    [InlineData("amqp://guest:guest@127.0.0.1:5673", "/")]
    [InlineData("amqp://guest:guest@127.0.0.1:5673/pmh", "pmh")]
    [InlineData("amqp://guest:guest@127.0.0.1:5673/%2Fpmh", "/pmh")]
    public void The_vhost_is_the_amqp_path(string amqp, string vhost) =>
        Assert.Equal(vhost, RabbitMqDeadLetters.VirtualHostOf(new Uri(amqp)));
}
