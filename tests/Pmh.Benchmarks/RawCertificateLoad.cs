using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Npgsql;
using NpgsqlTypes;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Subsidy;
using Pmh.Gateway.Publishing;
using Pmh.Modules.Batches;
using Pmh.Subsidy.Publishing;
using Pmh.Hosting;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Storage;
using Pmh.Subsidy.Storage;
using Pmh.Testing;
using Polly;

namespace Pmh.Benchmarks;

/// <summary>
/// The storage provider's fastest raw load of exactly the rows the hub stores when N certificates
/// (<c>TestData.CertificateRow(TestData.MyNumber(firstSeed + i), $"H-{firstSeed + i:D7}")</c>, municipality
/// <see cref="TestData.Chiyoda"/>) are published through the API as one batch into an empty subsidy database: the
/// current row (revision 1) and the revision row of each. A baseline for what the hub's own apply could reach.
/// SQLite: one transaction, one prepared INSERT per table, parameters reused, the hub's PRAGMAs (and its batch page cache). PostgreSQL: binary
/// COPY, one per table, in one transaction. Plain inserts: a certificate that is already stored fails the load.
/// Rows are generated on another thread and streamed through a small bounded channel (a few thousand rows in memory
/// at a time); the time returned runs from the start of the transaction to its commit and so includes generation
/// only where the load had to wait for it (one row is made before, so that compiling the generator is not timed).
/// </summary>
internal static class RawCertificateLoad
{
    private const int ChunkRows = 1_000;

    /// <summary>Every this many rows, the fast generator's certificate is compared with the gateway's own conversion.</summary>
    private const int CheckEvery = 1_000;

    /// <summary>The subsidy store's JSON options (<c>SubsidyCertificateStore.Json</c>, internal there): web defaults.</summary>
    private static readonly JsonSerializerOptions StoreJson = new(JsonSerializerDefaults.Web);

    private const string CurrentColumns =
        "municipality_code, history_key, person_key, valid_from, valid_to, is_deleted, is_not_disclosed, revision, batch_id, updated_at, data";

    private const string RevisionColumns = "municipality_code, history_key, batch_id, row_index, person_key, applied_at, data";

    /// <summary>
    /// A data-size fixture of current rows only, loaded the quick way rather than the way a baseline must: the
    /// person-key index dropped first and built again at the end (one sort instead of millions of inserts at random
    /// places), and on SQLite a commit every <see cref="FixtureCommitRows"/> rows so that the WAL stays small; on
    /// PostgreSQL the table is vacuumed and analysed afterwards.
    /// </summary>
    public static async Task<TimeSpan> LoadFixtureAsync(string storage, string database, int count, string batchId)
    {
        var clock = Stopwatch.StartNew();
        await ExecuteAsync(storage, database, "DROP INDEX IF EXISTS ix_subsidy_certificates_person").ConfigureAwait(false);
        for (var first = 0; first < count; first += FixtureCommitRows)
        {
            var rows = Math.Min(FixtureCommitRows, count - first);
            _ = storage == "postgres"
                ? await LoadPostgresCoreAsync(database, first, rows, batchId, revisions: false).ConfigureAwait(false)
                : await LoadSqliteCoreAsync(database, first, rows, batchId, revisions: false).ConfigureAwait(false);
        }

        // As the migration (0001_subsidy_certificates.sql) creates it.
        await ExecuteAsync(storage, database, "CREATE INDEX ix_subsidy_certificates_person ON subsidy_certificates (person_key)").ConfigureAwait(false);
        if (storage == "postgres")
        {
            // What an operator does after a bulk load, and what autovacuum would otherwise do while the lookups are
            // measured: statistics for the planner and the visibility map, read once through the whole table.
            await ExecuteAsync(storage, database, "VACUUM (ANALYZE) subsidy_certificates").ConfigureAwait(false);
        }

        return clock.Elapsed;
    }

    private const int FixtureCommitRows = 500_000;

    private static async Task ExecuteAsync(string storage, string database, string sql)
    {
        DbConnection connection = storage == "postgres"
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { CommandTimeout = 0 }.ConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = storage == "postgres" ? sql : "PRAGMA cache_size = -131072; " + sql;
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The rows of <paramref name="batchId"/> in the current table and in the revision history.</summary>
    public static async Task<(long Current, long Revisions)> CountAsync(string storage, string database, string batchId)
    {
        var db = SubsidyDatabase(storage, database);
        var current = await db.RunAsync(
            (c, ct) => c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM subsidy_certificates WHERE batch_id = @BatchId", new { BatchId = batchId }, cancellationToken: ct)),
            CancellationToken.None).ConfigureAwait(false);
        var history = await db.RunAsync(
            (c, ct) => c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM subsidy_certificate_revisions WHERE batch_id = @BatchId", new { BatchId = batchId }, cancellationToken: ct)),
            CancellationToken.None).ConfigureAwait(false);
        return (current, history);
    }

    /// <summary>
    /// Reads the certificate of <paramref name="seed"/> back through the hub's own store (the by-person query of
    /// <see cref="SubsidyCertificateStore.CurrentForPersonAsync"/> and its eligibility rules) and throws unless it is
    /// exactly the certificate the gateway makes from the API row. Same process as the load: the test row's recipient
    /// number comes from a string hash that .NET randomises per process.
    /// </summary>
    public static async Task VerifyOneAsync(string storage, string database, int seed)
    {
        var generator = new Generator();
        var expected = generator.ThroughGateway(seed);
        var store = new SubsidyCertificateStore(SubsidyDatabase(storage, database), TimeProvider.System);
        var found = await store.CurrentForPersonAsync(expected.PersonKey, CancellationToken.None).ConfigureAwait(false);
        if (found.Count != 1 || JsonSerializer.Serialize(found[0], StoreJson) != JsonSerializer.Serialize(expected, StoreJson))
        {
            throw new InvalidOperationException($"seed {seed}: the store finds {found.Count} certificate(s) for the person, not exactly the published one");
        }

        var eligible = await store.EligibleAsync(expected.PersonKey, new DateOnly(2026, 6, 1), CancellationToken.None).ConfigureAwait(false);
        if (eligible.Count != 1)
        {
            throw new InvalidOperationException($"seed {seed}: {eligible.Count} eligible certificates on 2026-06-01, expected 1");
        }
    }

    /// <summary>
    /// The raw-load baseline (the <c>rawload</c> command, and the suite's): a hub migrates fresh databases and is
    /// stopped, the rows are loaded, counted and one of them read back; the data is removed with the hub.
    /// </summary>
    public static async Task<(string Line, double RowsPerSecond)> RunAsync(string storage, int rows, int firstSeed = 0, string batchId = "raw-1")
    {
        Console.WriteLine($"starting a hub on {storage} to migrate its databases...");
        await using var hub = await HubProcess.StartAsync(storage).ConfigureAwait(false);
        await hub.StopAsync().ConfigureAwait(false);
        var where = storage == "postgres" ? "database " + new NpgsqlConnectionStringBuilder(hub.DatabaseOf("Subsidy")).Database : hub.DatabaseOf("Subsidy");
        Console.WriteLine($"hub stopped; loading {rows} certificates into {where}...");
        var (load, waited, commit) = storage == "postgres"
            ? await LoadPostgresCoreAsync(hub.DatabaseOf("Subsidy"), firstSeed, rows, batchId, revisions: true).ConfigureAwait(false)
            : await LoadSqliteCoreAsync(hub.DatabaseOf("Subsidy"), firstSeed, rows, batchId, revisions: true).ConfigureAwait(false);
        var (current, history) = await CountAsync(storage, hub.DatabaseOf("Subsidy"), batchId).ConfigureAwait(false);
        if (current != rows || history != rows)
        {
            throw new InvalidOperationException($"counted {current} current and {history} revision rows, expected {rows} of each");
        }

        await VerifyOneAsync(storage, hub.DatabaseOf("Subsidy"), firstSeed + (rows / 2)).ConfigureAwait(false);
        return (HubProcess.Format(
            $"raw load {storage} {rows} certificates (current + revision rows, {(storage == "postgres" ? "binary COPY" : "one transaction of prepared inserts")}): {load.TotalSeconds:F2} s = {rows / load.TotalSeconds:N0}/s | of which commit {commit.TotalSeconds:F2} s, waiting for the generator {waited.TotalSeconds:F2} s | counted {current:N0} + {history:N0} | seed {firstSeed + (rows / 2)} read back by person key: identical"), rows / load.TotalSeconds);
    }

    private static async Task<(TimeSpan Load, TimeSpan Waited, TimeSpan Commit)> LoadSqliteCoreAsync(
        string databaseFile, int firstSeed, int count, string batchId, bool revisions)
    {
        // The hub's connection (PmhHubBuilder) without the pool, so that the file is closed when the load is done.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false, DefaultTimeout = 30 }.ToString());
        await using (connection.ConfigureAwait(false))
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                // The migrator's journal mode and ServiceDatabase.OpenAsync's per-connection settings.
                // The hub's batch apply also raises the page cache to 128 MiB (SubsidyCertificateStore).
                pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -131072";
                pragma.ExecuteNonQuery();
            }

            WarmUp(firstSeed);
            var waits = new Waits();
            var clock = Stopwatch.StartNew();
            using var transaction = connection.BeginTransaction();
            using var current = connection.CreateCommand();
            current.Transaction = transaction;
            current.CommandText = $"INSERT INTO subsidy_certificates ({CurrentColumns}) VALUES (@m, @h, @p, @f, @t, @d, @n, 1, @b, @a, @j)";
            using var revision = connection.CreateCommand();
            revision.Transaction = transaction;
            revision.CommandText = $"INSERT INTO subsidy_certificate_revisions ({RevisionColumns}) VALUES (@m, @h, @b, @r, @p, @a, @j)";

            // The same values as the hub binds (string, int, bool, DateTimeOffset), so the same encodings: booleans
            // as 0/1, updated_at as Microsoft.Data.Sqlite's text form of a DateTimeOffset.
            var appliedAt = TimeProvider.System.GetUtcNow();
            var c = new
            {
                M = current.Parameters.Add("@m", SqliteType.Text),
                H = current.Parameters.Add("@h", SqliteType.Text),
                P = current.Parameters.Add("@p", SqliteType.Text),
                F = current.Parameters.Add("@f", SqliteType.Integer),
                T = current.Parameters.Add("@t", SqliteType.Integer),
                D = current.Parameters.Add("@d", SqliteType.Integer),
                N = current.Parameters.Add("@n", SqliteType.Integer),
                B = current.Parameters.Add("@b", SqliteType.Text),
                A = current.Parameters.Add("@a", SqliteType.Text),
                J = current.Parameters.Add("@j", SqliteType.Text),
            };
            var r = new
            {
                M = revision.Parameters.Add("@m", SqliteType.Text),
                H = revision.Parameters.Add("@h", SqliteType.Text),
                B = revision.Parameters.Add("@b", SqliteType.Text),
                R = revision.Parameters.Add("@r", SqliteType.Integer),
                P = revision.Parameters.Add("@p", SqliteType.Text),
                A = revision.Parameters.Add("@a", SqliteType.Text),
                J = revision.Parameters.Add("@j", SqliteType.Text),
            };
            c.M.Value = r.M.Value = TestData.Chiyoda;
            c.B.Value = r.B.Value = batchId;
            c.A.Value = r.A.Value = appliedAt;
            current.Prepare();
            revision.Prepare();

            await foreach (var chunk in RowsAsync(firstSeed, count, waits).ConfigureAwait(false))
            {
                foreach (var row in chunk)
                {
                    c.H.Value = row.HistoryKey;
                    c.P.Value = row.PersonKey;
                    c.F.Value = row.ValidFrom;
                    c.T.Value = row.ValidTo;
                    c.D.Value = row.IsDeleted;
                    c.N.Value = row.IsNotDisclosed;
                    c.J.Value = row.Data;
                    current.ExecuteNonQuery();
                    if (revisions)
                    {
                        r.H.Value = row.HistoryKey;
                        r.R.Value = row.Index;
                        r.P.Value = row.PersonKey;
                        r.J.Value = row.Data;
                        revision.ExecuteNonQuery();
                    }
                }
            }

            var committing = Stopwatch.GetTimestamp();
            transaction.Commit(); // includes the WAL auto-checkpoint that follows a large commit
            return (clock.Elapsed, waits.Elapsed, Stopwatch.GetElapsedTime(committing));
        }
    }

    private static async Task<(TimeSpan Load, TimeSpan Waited, TimeSpan Commit)> LoadPostgresCoreAsync(
        string connectionString, int firstSeed, int count, string batchId, bool revisions)
    {
        // No command timeout: the COPY of millions of rows may take longer than the default 30 s to complete.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            WarmUp(firstSeed);
            var waits = new Waits();
            var clock = Stopwatch.StartNew();
            var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var appliedAt = TimeProvider.System.GetUtcNow(); // offset 0, as timestamptz requires

                // Column types of Migrations/PostgreSql/0001: text, integer (yyyymmdd), boolean, timestamptz; data is text, not jsonb.
                var current = await connection.BeginBinaryImportAsync($"COPY subsidy_certificates ({CurrentColumns}) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
                await using (current.ConfigureAwait(false))
                {
                    await foreach (var chunk in RowsAsync(firstSeed, count, waits).ConfigureAwait(false))
                    {
                        // The synchronous writes only fill Npgsql's buffer and send it when it is full; an await per
                        // column would cost more than the column.
                        foreach (var row in chunk)
                        {
                            current.StartRow();
                            current.Write(TestData.Chiyoda, NpgsqlDbType.Text);
                            current.Write(row.HistoryKey, NpgsqlDbType.Text);
                            current.Write(row.PersonKey, NpgsqlDbType.Text);
                            current.Write(row.ValidFrom, NpgsqlDbType.Integer);
                            current.Write(row.ValidTo, NpgsqlDbType.Integer);
                            current.Write(row.IsDeleted, NpgsqlDbType.Boolean);
                            current.Write(row.IsNotDisclosed, NpgsqlDbType.Boolean);
                            current.Write(1, NpgsqlDbType.Integer);
                            current.Write(batchId, NpgsqlDbType.Text);
                            current.Write(appliedAt, NpgsqlDbType.TimestampTz);
                            current.Write(row.Data, NpgsqlDbType.Text);
                        }
                    }

                    await current.CompleteAsync().ConfigureAwait(false);
                }

                if (revisions)
                {
                    // A connection runs one COPY at a time, so the rows are generated a second time for the history.
                    var history = await connection.BeginBinaryImportAsync($"COPY subsidy_certificate_revisions ({RevisionColumns}) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
                    await using (history.ConfigureAwait(false))
                    {
                        await foreach (var chunk in RowsAsync(firstSeed, count, waits).ConfigureAwait(false))
                        {
                            foreach (var row in chunk)
                            {
                                history.StartRow();
                                history.Write(TestData.Chiyoda, NpgsqlDbType.Text);
                                history.Write(row.HistoryKey, NpgsqlDbType.Text);
                                history.Write(batchId, NpgsqlDbType.Text);
                                history.Write(row.Index, NpgsqlDbType.Integer);
                                history.Write(row.PersonKey, NpgsqlDbType.Text);
                                history.Write(appliedAt, NpgsqlDbType.TimestampTz);
                                history.Write(row.Data, NpgsqlDbType.Text);
                            }
                        }

                        await history.CompleteAsync().ConfigureAwait(false);
                    }
                }

                var committing = Stopwatch.GetTimestamp();
                await transaction.CommitAsync().ConfigureAwait(false);
                return (clock.Elapsed, waits.Elapsed, Stopwatch.GetElapsedTime(committing));
            }
        }
    }

    /// <summary>
    /// The rows, generated on another thread in chunks through a bounded channel, so that the load overlaps the
    /// generation and at most a few chunks exist at a time. <paramref name="waits"/> adds up the time the load waited.
    /// </summary>
    private static async IAsyncEnumerable<Row[]> RowsAsync(
        int firstSeed, int count, Waits waits, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<Row[]>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var generator = new Generator();
                    for (var start = 0; start < count; start += ChunkRows)
                    {
                        var chunk = new Row[Math.Min(ChunkRows, count - start)];
                        for (var j = 0; j < chunk.Length; j++)
                        {
                            var index = start + j;
                            chunk[j] = generator.Row(firstSeed, index, check: index % CheckEvery == 0 || index == count - 1);
                        }

                        await channel.Writer.WriteAsync(chunk, stop.Token).ConfigureAwait(false);
                    }

                    channel.Writer.Complete();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    channel.Writer.Complete(e);
                }
            },
            stop.Token);

        try
        {
            while (true)
            {
                var waiting = Stopwatch.GetTimestamp();
                var more = await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
                waits.Add(Stopwatch.GetElapsedTime(waiting));
                if (!more)
                {
                    break;
                }

                while (channel.Reader.TryRead(out var chunk))
                {
                    yield return chunk;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>One row made before the clock starts, so that the time does not include compiling the generator.</summary>
    private static void WarmUp(int firstSeed) => _ = new Generator().Row(firstSeed, 0, check: true);

    private static ServiceDatabase SubsidyDatabase(string storage, string database) =>
        storage == "postgres"
            ? new ServiceDatabase("Subsidy", StorageProvider.PostgreSql, database, typeof(SubsidyCertificateStore).Assembly, ResiliencePipeline.Empty)
            : new ServiceDatabase(
                "Subsidy",
                StorageProvider.Sqlite,
                new SqliteConnectionStringBuilder { DataSource = database, Pooling = false, DefaultTimeout = 30 }.ToString(),
                typeof(SubsidyCertificateStore).Assembly,
                ResiliencePipeline.Empty);

    /// <summary>One certificate's columns; <see cref="Data"/> is the JSON the subsidy store writes.</summary>
    private readonly record struct Row(
        int Index, string HistoryKey, string PersonKey, int ValidFrom, int ValidTo, bool IsDeleted, bool IsNotDisclosed, string Data);

    private sealed class Waits
    {
        private long _ticks;

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public void Add(TimeSpan wait) => Interlocked.Add(ref _ticks, wait.Ticks);
    }

    /// <summary>
    /// Makes the certificates. <see cref="ThroughGateway"/> is the hub's own path, row by row: the API row as JSON,
    /// read by the gateway's <see cref="BatchReader"/>, validated, converted by <see cref="SubsidyCertificates"/>
    /// (person key under the Development hub secret, as the benchmark's hub has no secret configured), then through
    /// JSON as the bus and the staged batch carry it. That is tens of microseconds a row, so the load uses
    /// <see cref="Row(int, int, bool)"/>: the first certificate's JSON with only what differs per seed spliced in
    /// (history key, person key, recipient number), compared with the gateway's certificate every
    /// <see cref="CheckEvery"/> rows and on the last.
    /// </summary>
    private sealed class Generator
    {
        private static readonly SubsidyCertificateRowValidator Validator = new();
        private readonly PersonKeys _personKeys;
        private readonly SubsidyCertificates _kind;
        private readonly MunicipalityCode _municipality = MunicipalityCode.Parse(TestData.Chiyoda);
        private SubsidyCertificate? _template;

        /// <summary>The template's JSON around its history key, person key and recipient number, in that order.</summary>
        private string[] _segments = [];

        public Generator()
        {
            // What PmhHubExtensions registers in a Development hub without Pmh:HubSecret: the development secret.
            var secret = HubSecret.FromConfiguration(
                new ConfigurationBuilder().Build(), new HostingEnvironment { EnvironmentName = Environments.Development });
            _personKeys = new PersonKeys(secret);
            _kind = new SubsidyCertificates(_personKeys, TimeProvider.System);
        }

        public SubsidyCertificate ThroughGateway(int seed)
        {
            var rows = new JsonArray(TestData.CertificateRow(TestData.MyNumber(seed), HistoryKey(seed)));
            var submitted = BatchReader.ReadJson<SubsidyCertificateRow>(Encoding.UTF8.GetBytes(rows.ToJsonString()), _kind.RowsField);
            var row = submitted.Rows[0] ?? throw new InvalidOperationException($"seed {seed}: the gateway cannot read the row");
            var validation = Validator.Validate(row);
            if (!validation.IsValid)
            {
                throw new InvalidOperationException($"seed {seed}: the gateway rejects the row: {validation}");
            }

            var certificate = _kind.Convert(_municipality, row);
            var carried = JsonSerializer.Serialize(new[] { new PublishedCertificateRow(0, certificate) }, StoreJson);
            return JsonSerializer.Deserialize<List<PublishedCertificateRow>>(carried, StoreJson)![0].Certificate;
        }

        public Row Row(int firstSeed, int index, bool check)
        {
            var seed = firstSeed + index;
            if (_template is null)
            {
                _template = ThroughGateway(seed);
                _segments = Segments(_template);
            }

            var historyKey = HistoryKey(seed);
            var personKey = _personKeys.For(MyNumber.Parse(TestData.MyNumber(seed)));

            // As TestData.CertificateRow derives it; the check below catches a change there.
            var recipientNumber = TestData.RecipientNumber(historyKey.GetHashCode(StringComparison.Ordinal) & 0xFFFFF);

            // The three values need no JSON escaping (ASCII letters, digits, '-', '_'), so splicing them into the
            // template's JSON gives what serialising the whole certificate would, at a fraction of the cost.
            var data = string.Concat([_segments[0], historyKey, _segments[1], personKey, _segments[2], recipientNumber, _segments[3]]);
            if (check && data != JsonSerializer.Serialize(ThroughGateway(seed), StoreJson))
            {
                throw new InvalidOperationException($"seed {seed}: the generated certificate differs from the gateway's");
            }

            return new Row(
                index, historyKey, personKey, ToDayNumber(_template.ValidFrom), ToDayNumber(_template.ValidTo),
                _template.IsDeleted, _template.IsNotDisclosed, data);
        }

        private static string[] Segments(SubsidyCertificate template)
        {
            string[] marks = ["HistoryKeyGoesHere", "PersonKeyGoesHere", "RecipientNumberGoesHere"];
            var json = JsonSerializer.Serialize(
                template with { HistoryKey = marks[0], PersonKey = marks[1], MedicalSubsidyRecipientNumber = marks[2] }, StoreJson);
            var segments = new string[marks.Length + 1];
            var from = 0;
            for (var i = 0; i < marks.Length; i++)
            {
                var at = json.IndexOf(marks[i], from, StringComparison.Ordinal);
                if (at < 0 || json.IndexOf(marks[i], at + 1, StringComparison.Ordinal) >= 0)
                {
                    throw new InvalidOperationException("the certificate's JSON no longer has the history key, person key and recipient number once each, in that order");
                }

                segments[i] = json[from..at];
                from = at + marks[i].Length;
            }

            segments[marks.Length] = json[from..];
            return segments;
        }

        private static string HistoryKey(int seed) => string.Create(CultureInfo.InvariantCulture, $"H-{seed:D7}");

        /// <summary>As <c>SubsidyCertificateStore.ToDayNumber</c> (internal there): yyyymmdd.</summary>
        private static int ToDayNumber(DateOnly date) => (date.Year * 10000) + (date.Month * 100) + date.Day;
    }
}
