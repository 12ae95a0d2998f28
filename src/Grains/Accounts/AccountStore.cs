using AgenteVendedor.Audit;
using AgenteVendedor.Tenancy;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Accounts;

public sealed class AccountStore(NpgsqlDataSource database)
{
    public sealed record Credentials(Guid UserId, Guid TenantId, string Role, bool Active, string PasswordHash);

    private const string FindSql = """
        SELECT id AS UserId, tenant_id AS TenantId, role AS Role, active AS Active, password_hash AS PasswordHash
          FROM users
         WHERE email = @Email
        """;

    public async Task<Credentials?> FindAsync(string email)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Credentials>(FindSql, new { Email = email });
    }

    private const string InsertTenantSql = """
        INSERT INTO tenants (id, name, currency, culture, time_zone)
        VALUES (@Id, @Name, @Currency, @Culture, @TimeZone)
        """;

    private const string InsertAdminSql = """
        INSERT INTO users (id, tenant_id, name, email, password_hash, role)
        VALUES (@Id, @TenantId, @Name, @Email, @PasswordHash, 'admin')
        """;

    /// <summary>Creates the empresa and its first admin together; throws a unique violation if the e-mail is taken.</summary>
    public async Task<SignedInUser> CreateEmpresaAsync(Registration registration, string email, string passwordHash, string timeZone)
    {
        var tenantId = Guid.CreateVersion7();
        var userId = Guid.CreateVersion7();
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(InsertTenantSql, new
        {
            Id = tenantId,
            Name = registration.EmpresaName,
            registration.Currency,
            registration.Culture,
            TimeZone = timeZone,
        }, transaction);
        await connection.ExecuteAsync(InsertAdminSql, new
        {
            Id = userId,
            TenantId = tenantId,
            Name = registration.UserName,
            Email = email,
            PasswordHash = passwordHash,
        }, transaction);
        await AuditWriter.WriteAsync(transaction, tenantId, userId, "empresa", tenantId.ToString(), "crear", new
        {
            nombre = registration.EmpresaName,
            moneda = registration.Currency,
            cultura = registration.Culture,
            zona_horaria = timeZone,
        });
        await AuditWriter.WriteAsync(transaction, tenantId, userId, "usuario", userId.ToString(), "crear", new
        {
            nombre = registration.UserName,
            email,
            rol = Roles.Admin,
        });
        await transaction.CommitAsync();
        return new SignedInUser(userId, tenantId, Roles.Admin);
    }
}
