using AgenteVendedor.Database;
using AgenteVendedor.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgenteVendedor.Grains.Tests;

public sealed class SchemaTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Migrating_again_and_concurrently_changes_nothing()
    {
        await using var connection = await _database.OpenAsync();
        var applied = await connection.QueryAsync<string>("SELECT scriptname FROM schema_versions ORDER BY scriptname");

        await Task.WhenAll(
            SchemaMigrator.MigrateAsync(_database.ConnectionString, NullLogger.Instance),
            SchemaMigrator.MigrateAsync(_database.ConnectionString, NullLogger.Instance));

        Assert.Equal(applied, await connection.QueryAsync<string>("SELECT scriptname FROM schema_versions ORDER BY scriptname"));
        Assert.Contains("sql/0010_tenants_users_audit.sql", applied);
    }

    [Fact]
    public async Task Every_query_the_Orleans_providers_need_is_present()
    {
        await using var connection = await _database.OpenAsync();
        var keys = (await connection.QueryAsync<string>("SELECT querykey FROM orleansquery")).ToHashSet();

        string[] required =
        [
            "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipVersionKey", "InsertMembershipKey",
            "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
            "CleanupDefunctSiloEntriesKey", "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
            "UpsertReminderRowKey", "ReadReminderRowKey", "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
            "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];
        Assert.Empty(required.Except(keys));
    }

    [Theory]
    [InlineData("INSERT INTO tenants (id, name, currency) VALUES (gen_random_uuid(), 'X', 'co')")]
    [InlineData("INSERT INTO tenants (id, name) VALUES (gen_random_uuid(), '   ')")]
    [InlineData("INSERT INTO tenants (id, name, tone) VALUES (gen_random_uuid(), 'X', 'grosero')")]
    [InlineData("INSERT INTO users (id, tenant_id, name, email, password_hash, role) SELECT gen_random_uuid(), id, 'U', 'u@x.co', 'h', 'jefe' FROM tenants LIMIT 1")]
    [InlineData("INSERT INTO users (id, tenant_id, name, email, password_hash, role) SELECT gen_random_uuid(), id, 'U', 'U@X.CO', 'h', 'admin' FROM tenants LIMIT 1")]
    [InlineData("INSERT INTO users (id, tenant_id, name, email, password_hash, role) VALUES (gen_random_uuid(), gen_random_uuid(), 'U', 'u@x.co', 'h', 'admin')")]
    public async Task The_database_itself_refuses_invalid_rows(string statement)
    {
        await using var connection = await _database.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO tenants (id, name) VALUES (gen_random_uuid(), 'Base') ");

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(statement));

        Assert.Contains(error.SqlState, new[] { PostgresErrorCodes.CheckViolation, PostgresErrorCodes.ForeignKeyViolation });
    }
}
