using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Storage;

namespace Pmh.Hosting.Tests.Outbox;

/// <summary>
/// Where no SQL Server runs, the outbox's SQL Server statements and migration are at least parsed as T-SQL (the
/// storage tests run them against a server when PMH_TEST_SQLSERVER names one).
/// </summary>
public sealed partial class SqlServerStatementsTests
{
    [GeneratedRegex(@"IN @(\w+)")]
    private static partial Regex DapperList();

    public static TheoryData<string> Statements()
    {
        var data = new TheoryData<string>();
        foreach (var statement in OutboxDispatcher.Statements(StorageProvider.SqlServer))
        {
            data.Add(statement);
        }

        using var connection = new SqlConnection();
        data.Add(Inbox.SqlFor(connection));
        data.Add(OutboxWriter.InsertSql);
        return data;
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void Every_statement_the_outbox_runs_on_SQL_Server_is_valid_T_SQL(string statement)
    {
        // Dapper expands "IN @List" into a parenthesised list of parameters before the server sees it.
        AssertParses(DapperList().Replace(statement, "IN (@${1}1, @${1}2)"));
    }

    [Fact]
    public void The_SQL_Server_migration_of_the_outbox_and_inbox_is_valid_T_SQL()
    {
        var assembly = typeof(OutboxDispatcher).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("Migrations.SqlServer.0002_outbox_inbox.sql", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);

        AssertParses(reader.ReadToEnd());
    }

    [Fact]
    public void The_parser_refuses_the_dialects_SQL_Server_does_not_speak()
    {
        // The check can fail: PostgreSQL's and SQLite's pending query is not T-SQL.
        Assert.NotEmpty(Parse(OutboxDispatcher.PendingSql(StorageProvider.PostgreSql)));
    }

    private static void AssertParses(string sql) => Assert.Empty(Parse(sql).Select(e => $"{e.Line}:{e.Column} {e.Message}"));

    private static IList<ParseError> Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors;
    }
}
