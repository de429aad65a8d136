using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Pmh.Testing;
using static Pmh.Faults.FaultSuite;

namespace Pmh.Faults;

/// <summary>The six faults of the suite. Each prints its counts as it goes and returns PASS or FAIL with the reason.</summary>
internal static class Scenarios
{
    public static readonly IReadOnlyList<(int Number, string Name, Func<FaultSuite, Task<ScenarioResult>> Run)> All =
    [
        (1, "broker stopped 15 s during a publish of 5 x 20,000 certificates", BrokerStoppedDuringPublishAsync),
        (2, "kill -9 of the subsidy process mid-apply, restarted", SubsidyKilledMidApplyAsync),
        (3, "broker stopped 15 s under reception load", BrokerStoppedUnderReceptionAsync),
        (4, "audit database unreachable 30 s under reception load, kill -9 of the gateway and of the audit process", AuditUnreachableAndKillsAsync),
        (5, "PostgreSQL restarted", PostgresRestartedAsync),
        (6, "a poison message", PoisonMessageAsync),
    ];

    private static readonly TimeSpan BrokerDown = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DeskDeadline = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(10);

    private static readonly string CertificatesPath = $"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates";

    private static string Run() => Guid.NewGuid().ToString("N")[..8];

    private static byte[] Certificates(int firstSeed, int rows, string batchId) =>
        TestData.CertificateBatchJson(Enumerable.Range(firstSeed, rows).ToList(), batchId);

    private static string Seconds(TimeSpan time) => F($"{time.TotalSeconds:F1} s");

    private static ScenarioResult Verdict(int number, List<string> failures, string passed) =>
        new(number, All.Single(s => s.Number == number).Name, failures.Count == 0, failures.Count == 0 ? passed : string.Join("; ", failures));

    // 1. Every batch final, stored = sent, 0 duplicates.
    private static async Task<ScenarioResult> BrokerStoppedDuringPublishAsync(FaultSuite suite)
    {
        const int Batches = 5;
        const int Rows = 20_000;
        var run = Run();
        var ids = Enumerable.Range(1, Batches).Select(b => $"faults-s1-{run}-{b}").ToList();
        var bodies = ids.Select((id, b) => Certificates(1_000_000 + (b * Rows), Rows, id)).ToList();
        var posts = new (int Posts, int Unavailable, int OtherErrors, int Status, TimeSpan LastTook)[Batches];
        var accepted = 0;
        var clock = Stopwatch.StartNew();
        var posting = Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                posts[b] = await suite.PostBatchAsync(CertificatesPath, bodies[b], TimeSpan.FromSeconds(150));
                Interlocked.Increment(ref accepted);
            }
        });

        // The broker goes down once the second batch is accepted: its parts are on their way, three batches still to post.
        while (Volatile.Read(ref accepted) < 2 && !posting.IsCompleted)
        {
            await Task.Delay(20);
        }

        var stopAt = clock.Elapsed;
        var stopping = await suite.InfraAsync("rabbitmq.sh", "stop");
        await Task.Delay(BrokerDown);
        var starting = await suite.InfraAsync("rabbitmq.sh", "start");
        var back = clock.Elapsed;
        Say($"broker stopped once batch 2 was accepted ({Seconds(stopAt)} into the publish; the stop took {Seconds(stopping)}), started again 15 s later (the start took {Seconds(starting)}): {Seconds(back - stopAt)} from the stop to the broker's return");
        await posting;
        var final = await suite.WaitFinalAsync(ids, TimeSpan.FromSeconds(120));
        var settled = clock.Elapsed - back;
        var (current, revisions, duplicates) = await suite.StoredAsync(ids);

        var failures = new List<string>();
        for (var b = 0; b < Batches; b++)
        {
            var status = Status(final[ids[b]]);
            var acceptedCount = (int?)final[ids[b]]?["acceptedCount"];
            Say($"batch {b + 1}: POSTs {posts[b].Posts} (503/429 {posts[b].Unavailable}, other errors {posts[b].OtherErrors}, last answer {posts[b].Status} after {Seconds(posts[b].LastTook)}), status {status ?? "(no answer)"}, acceptedCount {acceptedCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, failure {(string?)final[ids[b]]?["failure"] ?? "-"}");
            if (posts[b].Status is not (200 or 202))
            {
                failures.Add(F($"batch {b + 1} was never accepted ({posts[b].Posts} POSTs)"));
            }
            else if (status != "completed")
            {
                failures.Add(F($"batch {b + 1} is {status ?? "unreadable"}, not completed, {settled.TotalSeconds:F0} s after the broker's return"));
            }
            else if (acceptedCount != Rows)
            {
                failures.Add(F($"batch {b + 1} completed with acceptedCount {acceptedCount}, not {Rows}"));
            }
        }

        Say($"sent {Batches * Rows}, stored {current} (current rows), revisions {revisions}, duplicates {duplicates}; every batch final {Seconds(settled)} after the broker's return: {final.Values.All(b => Status(b) is "completed" or "failed")}");
        if (current != Batches * Rows || revisions != Batches * Rows)
        {
            failures.Add(F($"stored {current} certificates ({revisions} revisions) of {Batches * Rows} sent"));
        }

        if (duplicates != 0)
        {
            failures.Add(F($"{duplicates} duplicate revisions"));
        }

        return Verdict(1, failures, F($"5 batches completed, stored {current} = sent {Batches * Rows}, 0 duplicates"));
    }

    // 2. The batch completes exactly once.
    private static async Task<ScenarioResult> SubsidyKilledMidApplyAsync(FaultSuite suite)
    {
        const int Rows = 20_000;
        var id = $"faults-s2-{Run()}";
        var body = Certificates(2_000_000, Rows, id);
        var failures = new List<string>();
        await using var probe = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(suite.SubsidyDb) { Pooling = false }.ConnectionString);
        await probe.OpenAsync();
        await using var applying = new NpgsqlCommand(
            """
            SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND c.relname = 'subsidy_certificates' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()
            """,
            probe);

        var clock = Stopwatch.StartNew();
        var post = await suite.PostBatchAsync(CertificatesPath, body, TimeSpan.FromSeconds(60));
        Say($"batch of {Rows} posted: {post.Status} after {Seconds(clock.Elapsed)}");
        if (post.Status is not (200 or 202))
        {
            failures.Add(F($"the batch was not accepted (answer {post.Status})"));
            return Verdict(2, failures, "");
        }

        // Mid-apply: a transaction of the subsidy service holds the write lock of subsidy_certificates (rows written, not committed).
        var caught = TimeSpan.Zero;
        var polls = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            if ((long)(await applying.ExecuteScalarAsync())! > 0)
            {
                caught = clock.Elapsed;
                break;
            }

            if (++polls % 50 == 0 && Status(await suite.BatchAsync(id)) is "completed" or "failed")
            {
                break;
            }

            await Task.Delay(5);
        }

        if (caught == TimeSpan.Zero)
        {
            var missed = await suite.BatchAsync(id);
            failures.Add($"the apply was never caught in progress (batch {Status(missed) ?? "unreadable"} after {Seconds(clock.Elapsed)}); nothing was killed");
            return Verdict(2, failures, "");
        }

        var (down, ready) = await suite.KillAndRestartAsync(SubsidyProcess, TimeSpan.FromSeconds(60));
        Say($"apply caught in progress {Seconds(caught)} after the POST; subsidy process killed (SIGKILL) and started again: ready {(ready ? "after " + Seconds(down) : "NOT within 60 s")}");
        if (!ready)
        {
            failures.Add("the subsidy process was not ready within 60 s of its restart");
        }

        var final = (await suite.WaitFinalAsync([id], TimeSpan.FromSeconds(90)))[id];
        var (current, revisions, duplicates) = await suite.StoredAsync([id]);
        var staged = await QueryAsync<string>(suite.SubsidyDb, "SELECT status FROM staged_batches WHERE batch_id = @id", new { id });
        var acceptedCount = (int?)final?["acceptedCount"];
        Say($"batch {Status(final) ?? "(no answer)"}, acceptedCount {acceptedCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, failure {(string?)final?["failure"] ?? "-"}, {Seconds(clock.Elapsed - caught)} after the kill; sent {Rows}, stored {current}, revisions {revisions}, duplicates {duplicates}, staged {string.Join(",", staged)}");
        if (Status(final) != "completed")
        {
            failures.Add($"the batch is {Status(final) ?? "unreadable"}, not completed, 90 s after the restart");
        }
        else if (acceptedCount != Rows)
        {
            failures.Add(F($"the batch completed with acceptedCount {acceptedCount}, not {Rows}"));
        }

        if (current != Rows || revisions != Rows || duplicates != 0)
        {
            failures.Add(F($"stored {current} certificates, {revisions} revisions, {duplicates} duplicates for {Rows} sent"));
        }

        return Verdict(2, failures, F($"killed mid-apply, the batch completed once: stored {current} = sent {Rows}, 0 duplicates"));
    }

    // 3. Every desk request answered within 6 s (503 or 200); checks succeed again within 10 s of the broker's return.
    private static async Task<ScenarioResult> BrokerStoppedUnderReceptionAsync(FaultSuite suite)
    {
        await using var load = new ReceptionLoad(suite, new { subsidy = true, vaccination = false, maternalChild = false }, doses: false);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var stopAt = load.Now;
        var stopping = await suite.InfraAsync("rabbitmq.sh", "stop");
        await Task.Delay(BrokerDown);
        var starting = await suite.InfraAsync("rabbitmq.sh", "start");
        var back = load.Now;
        bool Succeeded(DeskCall c) => c.Kind == "check" && c.Status == 200 && c.Provided.Contains("subsidy");
        while (load.Now - back < TimeSpan.FromSeconds(15) && !load.Calls.Any(c => Succeeded(c) && c.Ended >= back))
        {
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        await load.StopAsync();
        var calls = load.Calls;
        Say($"{FaultSuite.Desks} desks; broker stopped after 5 s of load (the stop took {Seconds(stopping)}), started again 15 s later (the start took {Seconds(starting)}): {Seconds(back - stopAt)} from the stop to the broker's return; {calls.Count} requests in all");

        // Every request that was open at any moment of the outage (from the stop to the broker's return).
        var outage = calls.Where(c => c.Started < back && c.Ended >= stopAt).ToList();
        var answered = outage.Count(c => c.Status is 200 or 503 && c.Took <= DeskDeadline);
        var ok = outage.Count(c => c.Status == 200);
        var unavailable = outage.Count(c => c.Status == 503);
        var other = outage.Count(c => c.Status is not (0 or 200 or 503));
        var slow = outage.Count(c => c.Status != 0 && c.Took > DeskDeadline);
        var unanswered = outage.Count(c => c.Status == 0);
        var allUnavailable = outage.Count(c => c.Kind == "check" && c.Status == 200 && c.Provided.Count == 0);
        var longest = outage.Count == 0 ? TimeSpan.Zero : outage.Max(c => c.Took);
        Say($"during the outage: {outage.Count} requests ({outage.Count(c => c.Kind == "challenge")} challenges, {outage.Count(c => c.Kind == "check")} checks); answered within 6 s {answered}; 200s {ok}, 503s {unavailable}, other statuses {other}, answered after more than 6 s {slow}, unanswered (no answer within {ReceptionLoad.ClientTimeout.TotalSeconds:F0} s or connection failed) {unanswered}; longest {Seconds(longest)}; 200 checks with every part unavailable {allUnavailable}");

        var first = calls.FirstOrDefault(c => Succeeded(c) && c.Ended >= back);
        var recovery = first is null ? (TimeSpan?)null : first.Ended - back;
        var afterwards = first is null ? [] : calls.Where(c => c.Started > first.Ended).ToList();
        Say($"after the broker's return: first successful check after {(recovery is { } r ? Seconds(r) : "(none within 15 s)")}; later requests {afterwards.Count}, of which not 200 {afterwards.Count(c => c.Status != 200)}");

        var failures = new List<string>();
        if (outage.Count == 0)
        {
            failures.Add("no desk request fell into the outage");
        }

        if (answered != outage.Count)
        {
            // Which requests, so the log of the process that held them can be read at those moments.
            var late = string.Join("; ", outage.Where(c => !(c.Status is 200 or 503 && c.Took <= DeskDeadline)).Take(5)
                .Select(c => F($"{c.Kind} {(c.Status == 0 ? "unanswered" : c.Status)} from {(c.Started - stopAt).TotalSeconds:F1} s after the stop, took {c.Took.TotalSeconds:F1} s")));
            failures.Add(F($"{outage.Count - answered} of {outage.Count} requests not answered 200/503 within 6 s ({slow} slow, {unanswered} unanswered, {other} other statuses; longest {longest.TotalSeconds:F1} s): {late}"));
        }

        if (recovery is null || recovery > Recovery)
        {
            failures.Add(recovery is null ? "no check succeeded within 15 s of the broker's return" : F($"checks succeeded again only {recovery.Value.TotalSeconds:F1} s after the broker's return"));
        }

        return Verdict(3, failures, F($"{outage.Count} requests during the outage all answered within 6 s ({ok} x 200, {unavailable} x 503); checks succeeded {recovery?.TotalSeconds:F1} s after the broker's return"));
    }

    // 4. Every disclosure a desk received is in the audit log, once; every dose answered 2xx is stored, once.
    private static async Task<ScenarioResult> AuditUnreachableAndKillsAsync(FaultSuite suite)
    {
        var failures = new List<string>();
        var load = new ReceptionLoad(suite, new { subsidy = true, vaccination = true, maternalChild = false }, doses: true);
        await using (load)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            var cutAt = load.Now;
            suite.AuditProxy.Cut();
            Say($"audit database cut off (its connections reset, new ones refused) under the load of {FaultSuite.Desks} desks doing checks and doses");
            await Task.Delay(TimeSpan.FromSeconds(8));
            var (gatewayDown, gatewayReady) = await suite.KillAndRestartAsync(GatewayProcess, TimeSpan.FromSeconds(45));
            Say($"gateway killed (SIGKILL) {Seconds(load.Now - cutAt - gatewayDown)} into the outage and started again: ready {(gatewayReady ? "after " + Seconds(gatewayDown) : "NOT within 45 s")}");
            if (!gatewayReady)
            {
                failures.Add("the gateway was not ready within 45 s of its restart");
            }

            var left = TimeSpan.FromSeconds(30) - (load.Now - cutAt);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }

            suite.AuditProxy.Restore();
            var restoredAt = load.Now;
            Say($"audit database reachable again after {Seconds(restoredAt - cutAt)} ({suite.AuditProxy.Reset} connections reset, {suite.AuditProxy.Refused} refused)");
            await Task.Delay(TimeSpan.FromSeconds(2));
            var (auditDown, auditReady) = await suite.KillAndRestartAsync(AuditProcess, TimeSpan.FromSeconds(45));
            Say($"audit process killed (SIGKILL) {Seconds(load.Now - restoredAt - auditDown)} after the database's return, while it catches up, and started again: ready {(auditReady ? "after " + Seconds(auditDown) : "NOT within 45 s")}");
            if (!auditReady)
            {
                failures.Add("the audit process was not ready within 45 s of its restart");
            }

            await Task.Delay(TimeSpan.FromSeconds(5));
            await load.StopAsync();
        }

        var calls = load.Calls;
        var disclosures = calls.Where(c => c.IsDisclosure).Select(c => c.CheckId!).ToList();
        var doses = calls.Where(c => c.Kind == "dose" && c.Status is >= 200 and < 300).Select(c => c.SubmissionId!).ToList();
        Say($"desk requests {calls.Count}: checks {calls.Count(c => c.Kind == "check")} (200 {calls.Count(c => c.Kind == "check" && c.Status == 200)}, 503 {calls.Count(c => c.Kind == "check" && c.Status == 503)}, no answer {calls.Count(c => c.Kind == "check" && c.Status == 0)}), disclosures received {disclosures.Count}; doses {calls.Count(c => c.Kind == "dose")} (2xx {doses.Count}, no answer {calls.Count(c => c.Kind == "dose" && c.Status == 0)})");

        // The audit service catches up on what waited: up to 60 s.
        var checkIds = disclosures.ToArray();
        Dictionary<string, long> audited = [];
        var clock = Stopwatch.StartNew();
        while (true)
        {
            audited = (await QueryAsync<(string Detail, long Count)>(
                    suite.AuditDb,
                    "SELECT detail AS Detail, COUNT(*) AS Count FROM audit_entries WHERE purpose = 'receptionCheck' AND outcome = 'disclosed' AND detail = ANY(@checkIds) GROUP BY detail",
                    new { checkIds }))
                .ToDictionary(a => a.Detail, a => a.Count, StringComparer.Ordinal);
            if (audited.Count == checkIds.Length || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                break;
            }

            await Task.Delay(500);
        }

        var missing = checkIds.Count(id => !audited.ContainsKey(id));
        var twice = audited.Values.Count(n => n > 1);
        Say($"disclosures received {checkIds.Length}, audited once {audited.Values.Count(n => n == 1)}, missing {missing}, audited more than once {twice} (waited {Seconds(clock.Elapsed)} for the audit to catch up)");

        var submissionIds = doses.ToArray();
        var stored = await QueryAsync<(string SubmissionId, long Records, long Feed)>(
            suite.VaccinationDb,
            """
            SELECT s.submission_id AS SubmissionId,
                   (SELECT COUNT(*) FROM vaccination_records r WHERE r.record_id = s.record_id) AS Records,
                   (SELECT COUNT(*) FROM vaccination_feed f WHERE f.record_id = s.record_id) AS Feed
            FROM vaccination_submissions s WHERE s.institution_code = @code AND s.submission_id = ANY(@submissionIds)
            """,
            new { code = PmhHubFactory.ClinicCode, submissionIds });
        var dosesMissing = submissionIds.Length - stored.Count(s => s.Records >= 1);
        var dosesTwice = stored.Count(s => s.Records > 1 || s.Feed > 1);
        Say($"doses answered 2xx {submissionIds.Length}, stored once {stored.Count(s => s.Records == 1 && s.Feed == 1)}, missing {dosesMissing}, stored more than once {dosesTwice}");

        try
        {
            var verification = await suite.Operator.GetFromJsonAsync<JsonObject>(new Uri("/api/v1/audit/verification", UriKind.Relative));
            Say($"audit chain: isIntact {verification?["isIntact"]}, entries checked {verification?["entriesChecked"]}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Say($"audit chain: verification not answered ({e.Message})");
        }

        if (checkIds.Length == 0)
        {
            failures.Add("no desk received a disclosure");
        }

        if (missing > 0 || twice > 0)
        {
            failures.Add(F($"{missing} of {checkIds.Length} disclosures missing from the audit log, {twice} audited more than once"));
        }

        if (dosesMissing > 0 || dosesTwice > 0)
        {
            failures.Add(F($"{dosesMissing} of {submissionIds.Length} doses answered 2xx not stored, {dosesTwice} stored more than once"));
        }

        return Verdict(4, failures, F($"{checkIds.Length} disclosures all audited once, {submissionIds.Length} doses all stored once"));
    }

    // 5. Services recover without a restart; no batch stuck.
    private static async Task<ScenarioResult> PostgresRestartedAsync(FaultSuite suite)
    {
        const int Rows = 20_000;
        var run = Run();
        var first = $"faults-s5-{run}-a";
        var second = $"faults-s5-{run}-b";
        var failures = new List<string>();
        var post = await suite.PostBatchAsync(CertificatesPath, Certificates(3_000_000, Rows, first), TimeSpan.FromSeconds(60));
        if (post.Status is not (200 or 202))
        {
            failures.Add(F($"the first batch was not accepted (answer {post.Status})"));
            return Verdict(5, failures, "");
        }

        var stopping = await suite.InfraAsync("postgres.sh", "stop");
        var clock = Stopwatch.StartNew();
        Say($"batch of {Rows} accepted; PostgreSQL stopped (took {Seconds(stopping)})");
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var readyWhileDown = await StatusAsync(probe, new Uri(suite.Hub.AddressOf(GatewayProcess), "/health/ready"));
        var batchWhileDown = await StatusAsync(suite.Municipality, new Uri($"/api/v1/batches/{first}", UriKind.Relative));
        Say($"while PostgreSQL is down: gateway /health/ready {readyWhileDown}, GET the batch {batchWhileDown}");
        var pause = TimeSpan.FromSeconds(5) - clock.Elapsed;
        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause);
        }

        var starting = await suite.InfraAsync("postgres.sh", "start");
        var back = Stopwatch.StartNew();
        Say($"PostgreSQL started again after {Seconds(clock.Elapsed - starting)} down (start took {Seconds(starting)})");

        var readiness = await Task.WhenAll(Layout.Select(async p =>
        {
            var ok = await suite.Hub.WaitReadyAsync(p, TimeSpan.FromSeconds(30));
            return (Process: p, Ready: ok, After: back.Elapsed);
        }));
        Say("ready again: " + string.Join(", ", readiness.Select(r => $"{r.Process} {(r.Ready ? Seconds(r.After) : "NOT within 30 s")}")));

        TimeSpan? checkOk = null;
        var desk = suite.Client(PmhHubFactory.ClinicKey, TimeSpan.FromSeconds(10));
        while (back.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var response = await ReceptionDesk.CheckAsync(desk, suite.Cards[0], new { subsidy = true });
                var answer = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
                if ((string?)answer?["subsidy"]?["status"] == "provided")
                {
                    checkOk = back.Elapsed;
                    break;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        Say($"first successful reception check {(checkOk is { } c ? Seconds(c) : "(none within 30 s)")} after PostgreSQL's return");
        var finalFirst = (await suite.WaitFinalAsync([first], TimeSpan.FromSeconds(90)))[first];
        var (current, revisions, duplicates) = await suite.StoredAsync([first]);
        Say($"batch posted before the restart: {Status(finalFirst) ?? "(no answer)"} after {Seconds(back.Elapsed)}, acceptedCount {finalFirst?["acceptedCount"]?.ToJsonString() ?? "-"}, failure {(string?)finalFirst?["failure"] ?? "-"}; stored {current}, revisions {revisions}, duplicates {duplicates}");
        var postSecond = await suite.PostBatchAsync(CertificatesPath, Certificates(3_100_000, 1_000, second), TimeSpan.FromSeconds(30));
        var finalSecond = (await suite.WaitFinalAsync([second], TimeSpan.FromSeconds(60)))[second];
        Say($"batch posted after: answer {postSecond.Status}, {Status(finalSecond) ?? "(no answer)"}, acceptedCount {finalSecond?["acceptedCount"]?.ToJsonString() ?? "-"}");
        var restarted = Layout.Where(p => !suite.Hub.IsRunning(p)).ToList();
        Say($"processes that exited: {(restarted.Count == 0 ? "none" : string.Join(", ", restarted))}");

        if (restarted.Count > 0)
        {
            failures.Add("processes exited: " + string.Join(", ", restarted));
        }

        foreach (var r in readiness.Where(r => !r.Ready || r.After > Recovery))
        {
            failures.Add(r.Ready ? F($"{r.Process} ready again only {r.After.TotalSeconds:F1} s after PostgreSQL's return") : $"{r.Process} not ready within 30 s of PostgreSQL's return");
        }

        if (checkOk is null || checkOk > Recovery)
        {
            failures.Add(checkOk is null ? "no reception check succeeded within 30 s of PostgreSQL's return" : F($"reception checks succeeded again only {checkOk.Value.TotalSeconds:F1} s after PostgreSQL's return"));
        }

        if (Status(finalFirst) != "completed" || current != Rows || duplicates != 0)
        {
            failures.Add(F($"the batch posted before the restart is {Status(finalFirst) ?? "unreadable"} with {current} of {Rows} stored, {duplicates} duplicates"));
        }

        if (Status(finalSecond) != "completed")
        {
            failures.Add($"the batch posted after the restart is {Status(finalSecond) ?? "unreadable"} (POST answered {postSecond.Status})");
        }

        return Verdict(5, failures, F($"every process ready and checks answered within {Recovery.TotalSeconds:F0} s, no restart; both batches completed, stored {current} = sent {Rows}"));
    }

    // 6. It reaches _error, the service keeps working, the operator endpoint lists it, replay of a fixed message succeeds.
    private static async Task<ScenarioResult> PoisonMessageAsync(FaultSuite suite)
    {
        const string ErrorQueue = "access-recorded_error";
        const string Denied = "GET /api/v1/participants%"; // the route pattern, with or without its trailing slash
        var failures = new List<string>();
        var before = await suite.QueueDepthAsync(ErrorQueue);

        // The operator-fixable fault: the audit database refuses the poison participant's entries (SQLSTATE 22023, not transient).
        await ExecuteAsync(suite.AuditDb, """
            CREATE OR REPLACE FUNCTION faults_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.participant_id = 'faults-poison' THEN
                RAISE EXCEPTION 'fault suite: this audit entry is refused until the trigger is dropped' USING ERRCODE = '22023';
              END IF;
              RETURN NEW;
            END $$;
            DROP TRIGGER IF EXISTS faults_poison ON audit_entries;
            CREATE TRIGGER faults_poison BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION faults_refuse_poison();
            """);
        var clock = Stopwatch.StartNew();
        var sentAt = DateTimeOffset.UtcNow;
        var poisonStatus = await StatusAsync(suite.Poison, new Uri("/api/v1/participants", UriKind.Relative));
        Say($"trigger on audit_entries refuses participant faults-poison; its GET /api/v1/participants answered {poisonStatus} (a denial, audited); {ErrorQueue} held {before}");

        var reached = TimeSpan.Zero;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (await suite.QueueDepthAsync(ErrorQueue) > before)
            {
                reached = clock.Elapsed;
                break;
            }

            await Task.Delay(250);
        }

        Say($"poison message in {ErrorQueue}: {(reached > TimeSpan.Zero ? "after " + Seconds(reached) : "NOT within 60 s")}");
        if (reached == TimeSpan.Zero)
        {
            failures.Add($"the poison message did not reach {ErrorQueue} within 60 s");
        }

        // The service keeps working: another participant's denial is audited.
        var clinicBefore = await ScalarAsync<long>(suite.AuditDb, "SELECT COUNT(*) FROM audit_entries WHERE participant_id = 'clinic' AND purpose LIKE @Denied", new { Denied });
        await StatusAsync(suite.ClinicAdmin, new Uri("/api/v1/participants", UriKind.Relative));
        var working = Stopwatch.StartNew();
        var clinicAfter = clinicBefore;
        while (working.Elapsed < TimeSpan.FromSeconds(20) && clinicAfter == clinicBefore)
        {
            await Task.Delay(200);
            clinicAfter = await ScalarAsync<long>(suite.AuditDb, "SELECT COUNT(*) FROM audit_entries WHERE participant_id = 'clinic' AND purpose LIKE @Denied", new { Denied });
        }

        Say($"another participant's denial audited: {(clinicAfter > clinicBefore ? "after " + Seconds(working.Elapsed) : "NOT within 20 s")}");
        if (clinicAfter == clinicBefore)
        {
            failures.Add("the audit service did not store another participant's entry within 20 s of the poison");
        }

        // The operator finds it.
        string? messageId = null;
        using (var listing = await suite.Operator.GetAsync(new Uri("/api/v1/operator/dead-letters", UriKind.Relative)))
        {
            var text = await listing.Content.ReadAsStringAsync();
            if (!listing.IsSuccessStatusCode)
            {
                Say($"GET /api/v1/operator/dead-letters: {(int)listing.StatusCode}");
                failures.Add(F($"GET /api/v1/operator/dead-letters answered {(int)listing.StatusCode}"));
            }
            else
            {
                var body = JsonNode.Parse(text) as JsonObject;
                var messages = (body?["messages"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                var ours = messages
                    .Where(m => m["queue"]?.ToString() == ErrorQueue && DateTimeOffset.TryParse(m["faultedAt"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at) && at >= sentAt.AddSeconds(-2))
                    .ToList();
                var queueCount = (body?["queues"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(q => q["queue"]?.ToString() == ErrorQueue)?["count"];
                Say($"dead letters listed: total {body?["total"]}, {ErrorQueue} count {queueCount?.ToJsonString() ?? "-"}, faulted since the poison {ours.Count}: {string.Join(" | ", ours.Select(m => $"{m["messageType"]}: {m["faultType"]} {m["faultReason"]}"))}");
                if (ours.Count != 1)
                {
                    failures.Add(F($"the listing shows {ours.Count} messages of {ErrorQueue} faulted since the poison, not 1"));
                }
                else
                {
                    messageId = ours[0]["id"]?.ToString();
                }

                if (text.Contains("faults-poison", StringComparison.Ordinal))
                {
                    failures.Add("the listing shows what is in the message body (the participant id)");
                }
            }
        }

        await ExecuteAsync(suite.AuditDb, "DROP TRIGGER IF EXISTS faults_poison ON audit_entries; DROP FUNCTION IF EXISTS faults_refuse_poison()");
        if (messageId is not null)
        {
            var replay = await StatusAsync(suite.Operator, new Uri($"/api/v1/operator/dead-letters/{Uri.EscapeDataString(messageId)}/replay", UriKind.Relative), post: true);
            Say($"trigger dropped; replay answered {replay}");
            if (replay != 200)
            {
                failures.Add(F($"the replay answered {replay}, not 200"));
            }

            var replayed = Stopwatch.StartNew();
            long stored = 0;
            while (replayed.Elapsed < TimeSpan.FromSeconds(30))
            {
                stored = await ScalarAsync<long>(suite.AuditDb, "SELECT COUNT(*) FROM audit_entries WHERE participant_id = 'faults-poison'");
                if (stored > 0)
                {
                    break;
                }

                await Task.Delay(250);
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
            stored = await ScalarAsync<long>(suite.AuditDb, "SELECT COUNT(*) FROM audit_entries WHERE participant_id = 'faults-poison'");
            var left = await suite.QueueDepthAsync(ErrorQueue);
            Say($"after the replay: faults-poison entries in the audit log {stored} (after {Seconds(replayed.Elapsed)}), {ErrorQueue} holds {left}");
            if (stored != 1)
            {
                failures.Add(F($"after the replay the audit log holds {stored} entries of the poison message, not 1"));
            }
        }
        else
        {
            Say("trigger dropped; nothing to replay");
        }

        return Verdict(6, failures, F($"poison in {ErrorQueue} after {reached.TotalSeconds:F1} s, service kept working, listed, replayed once"));
    }

    private static async Task<int> StatusAsync(HttpClient client, Uri uri, bool post = false)
    {
        try
        {
            using var response = post ? await client.PostAsync(uri, null) : await client.GetAsync(uri);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }
}
