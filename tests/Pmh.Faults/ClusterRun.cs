using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pmh.Testing;
using static Pmh.Faults.FaultSuite;

namespace Pmh.Faults;

/// <summary>
/// The cluster run (infra/cluster.sh): the distributed hub on a 3-node RabbitMQ cluster, connected to every node
/// (<c>Pmh:Bus:ClusterNodes</c>), quorum queues; under the load of desks doing checks and doses and of a
/// municipality publishing batches, the node the hub is connected to is killed (SIGKILL) and, later, started again.
/// Four checks: no message lost, none duplicated, desks served again within 10 s, the node rejoined.
/// </summary>
internal static class ClusterRun
{
    private const int Batches = 3;
    private const int Rows = 10_000;
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(10);
    private static readonly string CertificatesPath = $"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates";

    public static async Task<int> RunAsync(string rabbitMq, string management, IReadOnlyList<string> otherNodes, IReadOnlyList<string> otherManagement, string infra, string logs)
    {
        var total = Stopwatch.StartNew();
        var checks = new List<(string Name, bool Passed, string Figures)>();
        var environment = otherNodes.Select((node, i) => (node, i)).ToDictionary(n => $"Pmh__Bus__ClusterNodes__{n.i}", n => n.node, StringComparer.Ordinal);
        Console.WriteLine(F($"cluster run: distributed hub ({string.Join(" | ", Layout)}) on RabbitMQ {new Uri(rabbitMq).Host}:{new Uri(rabbitMq).Port} and {string.Join(", ", otherNodes)}; process logs in {logs}"));
        FaultSuite suite;
        try
        {
            suite = await FaultSuite.StartAsync(rabbitMq, management, infra, logs, environment);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or Npgsql.NpgsqlException or IOException)
        {
            Console.WriteLine($"the hub did not start: {e.Message}");
            Console.WriteLine("cluster: 0 passed, 4 failed");
            return 1;
        }

        try
        {
            await RunChecksAsync(suite, otherManagement, checks);
        }
#pragma warning disable CA1031 // The run's crash is reported as its failed checks, with the reason.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.WriteLine($"the run itself failed: {e.GetType().Name}: {e.Message}");
            foreach (var name in CheckNames.Where(n => checks.All(c => c.Name != n)))
            {
                checks.Add((name, false, "not measured: the run failed"));
            }
        }
        finally
        {
            await suite.DisposeAsync();
        }

        Console.WriteLine();
        foreach (var (name, passed, figures) in checks)
        {
            Console.WriteLine($"[{(passed ? "PASS" : "FAIL")}] {name}: {figures}");
        }

        Console.WriteLine(F($"cluster run took {total.Elapsed.TotalSeconds:F0} s"));
        var ok = checks.Count(c => c.Passed);
        Console.WriteLine(F($"cluster: {ok} passed, {checks.Count - ok} failed"));
        return ok == checks.Count ? 0 : 1;
    }

    private static readonly string[] CheckNames = ["desks served again within 10 s", "0 messages lost", "0 messages duplicated", "the restarted node rejoined"];

    private static async Task RunChecksAsync(FaultSuite suite, IReadOnlyList<string> otherManagement, List<(string Name, bool Passed, string Figures)> checks)
    {
        {
            Console.WriteLine(F($"hub ready in {suite.Hub.StartToReady.TotalSeconds:F1} s; {Desks} desk cards registered"));
            using var survivor = Management(otherManagement[0]);
            Say("hub connections per node before the kill: " + await ConnectionsPerNodeAsync(survivor));

            var run = Guid.NewGuid().ToString("N")[..8];
            var ids = Enumerable.Range(1, Batches).Select(b => $"cluster-{run}-{b}").ToList();
            var bodies = ids.Select((id, b) => TestData.CertificateBatchJson(Enumerable.Range(3_000_000 + (b * Rows), Rows).ToList(), id)).ToList();
            var posts = new (int Posts, int Unavailable, int OtherErrors, int Status, TimeSpan LastTook)[Batches];
            var accepted = 0;
            var load = new ReceptionLoad(suite, new { subsidy = true, vaccination = true, maternalChild = false }, doses: true);
            TimeSpan killedAt, restartedAt;
            TimeSpan? rejoined = null;
            await using (load)
            {
                var posting = Task.Run(async () =>
                {
                    for (var b = 0; b < Batches; b++)
                    {
                        posts[b] = await suite.PostBatchAsync(CertificatesPath, bodies[b], TimeSpan.FromSeconds(120));
                        Interlocked.Increment(ref accepted);
                    }
                });
                while ((Volatile.Read(ref accepted) < 1 || load.Now < TimeSpan.FromSeconds(5)) && !posting.IsCompleted)
                {
                    await Task.Delay(20);
                }

                killedAt = load.Now;
                await suite.InfraAsync("cluster.sh", "kill-node 1");
                Say(F($"node 1 killed (SIGKILL) {killedAt.TotalSeconds:F1} s into the load, once batch 1 of {Batches} was accepted"));
                await Task.Delay(TimeSpan.FromSeconds(20));
                restartedAt = load.Now;
                var starting = await suite.InfraAsync("cluster.sh", "start-node 1");
                try
                {
                    await suite.InfraAsync("cluster.sh", "await-rejoin 1");
                    rejoined = load.Now - restartedAt;
                }
                catch (InvalidOperationException e)
                {
                    Say(e.Message);
                }

                Say(F($"node 1 started again {(restartedAt - killedAt).TotalSeconds:F1} s after the kill (the start took {starting.TotalSeconds:F1} s); a running member of the cluster again {(rejoined is { } j ? F($"{j.TotalSeconds:F1} s") : "NOT within 60 s")}"));
                await Task.Delay(TimeSpan.FromSeconds(5));
                await posting;
                await load.StopAsync();
            }

            var calls = load.Calls;
            bool Succeeded(DeskCall c) => c.Kind == "check" && c.Status == 200 && c.Provided.Contains("subsidy");
            var first = calls.FirstOrDefault(c => Succeeded(c) && c.Started >= killedAt);
            var recovery = first is null ? (TimeSpan?)null : first.Ended - killedAt;
            var late = calls.Where(c => c.Started >= killedAt + Recovery && c.Started < restartedAt).ToList();
            var lateFailed = late.Count(c => c.Status is < 200 or >= 300);
            var around = calls.Where(c => c.Started < killedAt + Recovery && c.Ended >= killedAt).ToList();
            Say(F($"desk requests {calls.Count}; open in the 10 s after the kill {around.Count} (200 {around.Count(c => c.Status == 200)}, 503 {around.Count(c => c.Status == 503)}, other {string.Join(" ", around.Where(c => c.Status is not (200 or 503)).GroupBy(c => c.Kind + ":" + c.Status).Select(g => F($"{g.Key} x{g.Count()}")))}, longest {(around.Count == 0 ? 0 : around.Max(c => c.Took.TotalSeconds)):F1} s); first check started after the kill and served {(recovery is { } r ? F($"{r.TotalSeconds:F1} s after it") : "never")}; requests started 10 s or more after the kill and before the restart {late.Count}, not 2xx {lateFailed}"));
            checks.Add(("desks served again within 10 s", recovery is { } rec && rec <= Recovery && late.Count > 0 && lateFailed == 0,
                F($"first check served {recovery?.TotalSeconds:F1} s after the kill; {late.Count - lateFailed}/{late.Count} requests 10-20 s after it answered 2xx")));

            // What was sent: batch rows, disclosures (audit events), doses; each must be stored exactly once.
            var final = await suite.WaitFinalAsync(ids, TimeSpan.FromSeconds(120));
            var (current, revisions, duplicates) = await suite.StoredAsync(ids);
            Say(F($"batches: {string.Join(", ", ids.Select((id, b) => $"{b + 1} {Status(final[id]) ?? "(no answer)"} ({posts[b].Posts} POSTs)"))}; sent {Batches * Rows} rows, stored {current}, revisions {revisions}, duplicates {duplicates}"));
            var checkIds = calls.Where(c => c.IsDisclosure).Select(c => c.CheckId!).ToArray();
            Dictionary<string, long> audited = [];
            var clock = Stopwatch.StartNew();
            do
            {
                audited = (await QueryAsync<(string Detail, long Count)>(
                        suite.AuditDb,
                        "SELECT detail AS Detail, COUNT(*) AS Count FROM audit_entries WHERE purpose = 'receptionCheck' AND outcome = 'disclosed' AND detail = ANY(@checkIds) GROUP BY detail",
                        new { checkIds }))
                    .ToDictionary(a => a.Detail, a => a.Count, StringComparer.Ordinal);
                if (audited.Count == checkIds.Length)
                {
                    break;
                }

                await Task.Delay(500);
            }
            while (clock.Elapsed < TimeSpan.FromSeconds(60));
            var auditMissing = checkIds.Count(id => !audited.ContainsKey(id));
            var auditTwice = audited.Values.Count(n => n > 1);
            var submissionIds = calls.Where(c => c.Kind == "dose" && c.Status is >= 200 and < 300).Select(c => c.SubmissionId!).ToArray();
            var doses = await QueryAsync<(string SubmissionId, long Records, long Feed)>(
                suite.VaccinationDb,
                """
                SELECT s.submission_id AS SubmissionId,
                       (SELECT COUNT(*) FROM vaccination_records r WHERE r.record_id = s.record_id) AS Records,
                       (SELECT COUNT(*) FROM vaccination_feed f WHERE f.record_id = s.record_id) AS Feed
                FROM vaccination_submissions s WHERE s.institution_code = @code AND s.submission_id = ANY(@submissionIds)
                """,
                new { code = PmhHubFactory.ClinicCode, submissionIds });
            var dosesMissing = submissionIds.Length - doses.Count(d => d.Records >= 1);
            var dosesTwice = doses.Count(d => d.Records > 1 || d.Feed > 1);
            Say(F($"disclosures received {checkIds.Length}: audited once {audited.Values.Count(n => n == 1)}, missing {auditMissing}, more than once {auditTwice}; doses answered 2xx {submissionIds.Length}: stored once {doses.Count(d => d.Records == 1 && d.Feed == 1)}, missing {dosesMissing}, more than once {dosesTwice}"));

            var batchesLost = ids.Count(id => Status(final[id]) != "completed") + (int)Math.Max(0, (Batches * Rows) - current);
            var lost = batchesLost + auditMissing + dosesMissing;
            checks.Add(("0 messages lost", lost == 0 && posts.All(p => p.Status is 200 or 202),
                F($"batches completed {ids.Count(id => Status(final[id]) == "completed")}/{Batches}, rows stored {current}/{Batches * Rows}, disclosures audited {checkIds.Length - auditMissing}/{checkIds.Length}, doses stored {submissionIds.Length - dosesMissing}/{submissionIds.Length}")));
            checks.Add(("0 messages duplicated", duplicates == 0 && revisions <= Batches * Rows && auditTwice == 0 && dosesTwice == 0,
                F($"duplicate revisions {duplicates}, audit entries twice {auditTwice}, doses twice {dosesTwice}")));

            var members = await QuorumMembersAsync(survivor);
            Say("quorum queues after the rejoin: " + members);
            checks.Add(("the restarted node rejoined", rejoined is not null, rejoined is { } t ? F($"a running member {t.TotalSeconds:F1} s after it was started again; {members}") : "not a cluster member again within 60 s"));
        }
    }

    private static HttpClient Management(string url)
    {
        var uri = new Uri(url);
        var client = new HttpClient { BaseAddress = new UriBuilder(uri) { UserName = "", Password = "" }.Uri, Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo))));
        return client;
    }

    private static async Task<JsonArray?> GetArrayAsync(HttpClient management, string path)
    {
        try
        {
            // RabbitMQ 3.10's management API can repeat a column while a quorum queue's member is away ("online" twice);
            // JsonNode refuses duplicate names, so the answer is read as a document and the last of a name wins.
            using var document = System.Text.Json.JsonDocument.Parse(await management.GetStringAsync(new Uri(path, UriKind.Relative)));
            return Tolerant(document.RootElement) as JsonArray;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static JsonNode? Tolerant(System.Text.Json.JsonElement element)
    {
        switch (element.ValueKind)
        {
            case System.Text.Json.JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Tolerant(item));
                }

                return array;
            case System.Text.Json.JsonValueKind.Object:
                var result = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    result[property.Name] = Tolerant(property.Value);
                }

                return result;
            case System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined:
                return null;
            default:
                return JsonNode.Parse(element.GetRawText());
        }
    }

    private static async Task<string> ConnectionsPerNodeAsync(HttpClient management) =>
        await GetArrayAsync(management, "api/connections?columns=node") is { } connections
            ? string.Join(", ", connections.GroupBy(c => (string?)c?["node"] ?? "?").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))
            : "(management API not answering)";

    private static async Task<string> QuorumMembersAsync(HttpClient management)
    {
        var queues = await GetArrayAsync(management, "api/queues?columns=name,type,members,online");
        if (queues is null)
        {
            return "(management API not answering)";
        }

        var quorum = queues.Where(q => (string?)q?["type"] == "quorum").ToList();
        var full = quorum.Count(q => q?["online"] is JsonArray online && online.Count == 3);
        return F($"{quorum.Count} quorum queues, {full} with 3 members online");
    }
}
