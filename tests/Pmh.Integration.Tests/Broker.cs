using RabbitMQ.Client;

namespace Pmh.Integration.Tests;

/// <summary>Direct access to the test broker, to start each test from empty queues and to look into error queues.</summary>
internal static class Broker
{
    private static readonly string[] Queues =
    [
        "subsidy-publish-certificates",
        "check-subsidy-eligibility",
        "subsidy-certificates-published",
        "publish-subsidy-certificates-fault",
        "issue-challenge",
        "verify-cardholder",
        "register-card",
        "revoke-card",
        "vaccination-register-records",
        "record-vaccination-dose",
        "get-vaccination-feed",
        "check-vaccination-history",
        "vaccination-records-registered",
        "register-vaccination-records-fault",
        "maternal-child-register-pregnancies",
        "maternal-child-register-children",
        "redeem-voucher",
        "record-infant-checkup",
        "check-maternal-child-entitlements",
        "get-maternal-child-feed",
        "find-pregnancy-records",
        "maternal-child-records-registered",
        "register-pregnancies-fault",
        "register-children-fault",
        "access-recorded",
        "get-access-log",
        "verify-audit-chain",
        "record-copayment",
        "correct-copayment",
        "vaccination-publish-prices",
        "publish-vaccination-prices-fault",
        "get-vaccination-claims",
        "get-vaccination-claim",
        "decide-vaccination-claim-lines",
        "correct-vaccination-dose",
        "store-questionnaire",
    ];

    public static async Task PurgeAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(Testing.TestServers.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in Queues.SelectMany(q => new[] { q, q + "_error", q + "_skipped" }))
        {
            await channel.QueueDeleteAsync(queue);
        }
    }

    public static async Task<uint> MessageCountAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(Testing.TestServers.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }
}
