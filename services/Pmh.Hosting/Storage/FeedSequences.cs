using System.Data.Common;
using Dapper;

namespace Pmh.Hosting.Storage;

/// <summary>
/// Per-municipality feed sequences, from a heads table <c>(municipality_code, last_sequence)</c>: the next number is
/// taken under the head row's lock, held until the transaction commits, so a municipality's sequences commit in
/// order and a reader's cursor never skips one.
/// </summary>
public static class FeedSequences
{
    public static async Task<long> NextAsync(
        ServiceDatabase database, DbConnection connection, DbTransaction transaction, string headsTable, string municipality, CancellationToken ct)
    {
        var key = new { MunicipalityCode = municipality };
        var insert = $"INSERT INTO {headsTable} (municipality_code, last_sequence) VALUES (@MunicipalityCode, 0) ON CONFLICT (municipality_code) DO NOTHING";
        await connection.ExecuteAsync(new CommandDefinition(
            database.Dialect(
                sqlite: insert,
                postgreSql: insert,
                sqlServer: $"""
                    IF NOT EXISTS (SELECT 1 FROM {headsTable} WITH (UPDLOCK, HOLDLOCK) WHERE municipality_code = @MunicipalityCode)
                    INSERT INTO {headsTable} (municipality_code, last_sequence) VALUES (@MunicipalityCode, 0)
                    """),
            key,
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE {headsTable} SET last_sequence = last_sequence + 1 WHERE municipality_code = @MunicipalityCode", key, transaction, cancellationToken: ct))
            .ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT last_sequence FROM {headsTable} WHERE municipality_code = @MunicipalityCode", key, transaction, cancellationToken: ct))
            .ConfigureAwait(false);
    }
}
