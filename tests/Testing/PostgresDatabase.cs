using AgenteVendedor.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgenteVendedor.Testing;

/// <summary>
/// A fresh, migrated database on the PostgreSQL server that ./test.sh started, dropped at the end.
/// Each fixture gets its own, so tests never see each other's rows.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string ServerVariable = "AV_TEST_POSTGRES";

    private readonly NpgsqlConnectionStringBuilder _server;

    private PostgresDatabase(NpgsqlConnectionStringBuilder server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static Task<PostgresDatabase> CreateAsync() => CreateAsync(ServerConnectionString());

    /// <summary>A fresh database on another server than the suite's (see <see cref="PostgresServer"/>).</summary>
    public static async Task<PostgresDatabase> CreateAsync(NpgsqlConnectionStringBuilder server)
    {
        var name = "av_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new PostgresDatabase(server, name);
        await SchemaMigrator.MigrateAsync(database.ConnectionString, NullLogger.Instance);
        return database;
    }

    public static NpgsqlConnectionStringBuilder ServerConnectionString()
    {
        var value = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{ServerVariable} is not set: run the tests through ./test.sh, which starts PostgreSQL and sets it.");
        }

        return new NpgsqlConnectionStringBuilder(value);
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException) when (attempt < 5)
            {
                // An autovacuum worker (not ours to terminate) may still be on it; it finishes soon.
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
            catch (PostgresException)
            {
                return; // A leftover database is harmless: ./test.sh starts from an empty server every run.
            }
        }
    }
}
