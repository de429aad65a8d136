using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Pmh.Hosting.Storage;

/// <summary>A column a bulk write fills, with its PostgreSQL type for binary COPY.</summary>
public sealed record BulkColumn(string Name, NpgsqlDbType Type);

/// <summary>
/// How the rows of a batch go into one table: its columns and what a row whose key is stored already does
/// (<paramref name="OnConflict"/>, e.g. <c>ON CONFLICT (record_id) DO UPDATE SET … = excluded.…</c>; empty to insert
/// every row). <paramref name="Key"/> is the conflict key: when it occurs twice among the rows written at once, the
/// later row wins, as if they were written one by one.
/// </summary>
public sealed record BulkTable(string Table, IReadOnlyList<BulkColumn> Columns, string OnConflict, IReadOnlyList<string> Key);

/// <summary>
/// The one bulk path of every kind's batch apply: PostgreSQL binary COPY into a temporary staging table, then one
/// <c>INSERT … SELECT … ON CONFLICT</c> into the table; SQLite one prepared statement run per row (in-process, so no round
/// trips to save, and the apply's one large transaction). Rows are written in order. SQL Server is not served here
/// (its callers keep their per-row MERGE).
/// </summary>
public static class BulkRows
{
    public static async Task WriteAsync(
        ServiceDatabase database, DbConnection connection, DbTransaction transaction, BulkTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        switch (database.Provider)
        {
            case StorageProvider.PostgreSql:
                await CopyAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, table, rows, ct).ConfigureAwait(false);
                break;
            case StorageProvider.Sqlite:
                await PreparedAsync(connection, transaction, table, rows, ct).ConfigureAwait(false);
                break;
            default:
                throw new NotSupportedException($"Bulk writes are for PostgreSQL and SQLite; {database.Provider} writes row by row.");
        }
    }

    private static string Columns(BulkTable table) => string.Join(", ", table.Columns.Select(c => c.Name));

    private static async Task PreparedAsync(DbConnection connection, DbTransaction transaction, BulkTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText =
                $"INSERT INTO {table.Table} ({Columns(table)}) VALUES ({string.Join(", ", table.Columns.Select(c => "@" + c.Name))}) {table.OnConflict}";
            foreach (var column in table.Columns)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@" + column.Name;
                command.Parameters.Add(parameter);
            }

            await command.PrepareAsync(ct).ConfigureAwait(false);
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    command.Parameters[i].Value = row[i] ?? DBNull.Value;
                }

                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, BulkTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var stage = "pmh_stage_" + table.Table;
        var columns = Columns(table);
        // The staging table lives for the transaction; a batch applied in parts empties and reuses it.
        await using (var create = new NpgsqlCommand(
            $"""
            CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS SELECT {columns} FROM {table.Table} WITH NO DATA;
            ALTER TABLE {stage} ADD COLUMN IF NOT EXISTS pmh_order integer;
            TRUNCATE {stage};
            """,
            connection,
            transaction))
        {
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var importer = await connection.BeginBinaryImportAsync($"COPY {stage} ({columns}, pmh_order) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            for (var r = 0; r < rows.Count; r++)
            {
                var row = rows[r];
                await importer.StartRowAsync(ct).ConfigureAwait(false);
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] is null)
                    {
                        await importer.WriteNullAsync(ct).ConfigureAwait(false);
                    }
                    else
                    {
                        await importer.WriteAsync(row[i], table.Columns[i].Type, ct).ConfigureAwait(false);
                    }
                }

                await importer.WriteAsync(r, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
            }

            await importer.CompleteAsync(ct).ConfigureAwait(false);
        }

        var select = table.Key.Count == 0
            ? $"SELECT {columns} FROM {stage} ORDER BY pmh_order"
            : $"SELECT DISTINCT ON ({string.Join(", ", table.Key)}) {columns} FROM {stage} ORDER BY {string.Join(", ", table.Key)}, pmh_order DESC";
        await using var insert = new NpgsqlCommand($"INSERT INTO {table.Table} ({columns}) {select} {table.OnConflict}", connection, transaction);
        await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
