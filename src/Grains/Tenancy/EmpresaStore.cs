using System.Text.Json;
using System.Text.Json.Serialization;
using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Tenancy;

public sealed class EmpresaStore(NpgsqlDataSource database)
{
    private const string ProfileColumns = """
        id AS Id, name AS Name, currency AS Currency, culture AS Culture, time_zone AS TimeZone, tone AS Tone,
        instructions AS Instructions, agent_name AS AgentName, created_at AS CreatedAt, updated_at AS UpdatedAt,
        faq::text AS Faq, chat_orders_pending AS ChatOrdersPending
        """;

    // The FAQ is a jsonb array of {pregunta, respuesta} (sql/0091); Dapper hands it over as text.
    private sealed record ProfileRow(
        Guid Id, string Name, string Currency, string Culture, string TimeZone, string Tone, string Instructions, string AgentName,
        DateTime CreatedAt, DateTime UpdatedAt, string Faq, bool ChatOrdersPending)
    {
        public EmpresaProfile ToProfile() => new(Id, Name, Currency, Culture, TimeZone, Tone, Instructions, AgentName, CreatedAt, UpdatedAt,
            (JsonSerializer.Deserialize(Faq, EmpresaJson.Default.StoredFaqArray) ?? []).Select(f => new FaqEntry(f.Question, f.Answer)).ToArray(),
            ChatOrdersPending);
    }

    private static string FaqJson(IEnumerable<FaqEntry> faq) =>
        JsonSerializer.Serialize(faq.Select(f => new StoredFaq(f.Question, f.Answer)).ToArray(), EmpresaJson.Default.StoredFaqArray);

    private const string UserColumns = """
        id AS Id, tenant_id AS EmpresaId, name AS Name, email AS Email, role AS Role, active AS Active,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private const string LoadProfileSql = $"SELECT {ProfileColumns} FROM tenants WHERE id = @Id";

    private const string LoadUsersSql = $"SELECT {UserColumns} FROM users WHERE tenant_id = @Id ORDER BY created_at, id";

    public async Task<(EmpresaProfile? Profile, IReadOnlyList<UserView> Users)> LoadAsync(Guid tenantId)
    {
        await using var connection = await database.OpenConnectionAsync();
        var profile = (await connection.QuerySingleOrDefaultAsync<ProfileRow>(LoadProfileSql, new { Id = tenantId }))?.ToProfile();
        if (profile is null)
        {
            return (null, []);
        }

        var users = (await connection.QueryAsync<UserView>(LoadUsersSql, new { Id = tenantId })).ToList();
        return (profile, users);
    }

    private const string UpdateProfileSql = $"""
        UPDATE tenants
           SET name = @Name, currency = @Currency, culture = @Culture, time_zone = @TimeZone, tone = @Tone,
               instructions = @Instructions, agent_name = @AgentName, faq = @Faq::jsonb,
               chat_orders_pending = @ChatOrdersPending, updated_at = now()
         WHERE id = @Id
        RETURNING {ProfileColumns}
        """;

    public async Task<EmpresaProfile> UpdateProfileAsync(Actor actor, EmpresaProfile before, EmpresaSettings settings)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var faq = settings.Faq ?? before.Faq;
        var after = (await connection.QuerySingleAsync<ProfileRow>(UpdateProfileSql, new
        {
            before.Id,
            Name = settings.Name ?? before.Name,
            Currency = settings.Currency ?? before.Currency,
            Culture = settings.Culture ?? before.Culture,
            TimeZone = settings.TimeZone ?? before.TimeZone,
            Tone = settings.Tone ?? before.Tone,
            Instructions = settings.Instructions ?? before.Instructions,
            AgentName = settings.AgentName ?? before.AgentName,
            Faq = FaqJson(faq),
            ChatOrdersPending = settings.ChatOrdersPending ?? before.ChatOrdersPending,
        }, transaction)).ToProfile();
        // The FAQ (up to ~115,000 characters) is written to the audit log only when it changed.
        var faqChanged = !before.Faq.SequenceEqual(after.Faq);
        await AuditWriter.WriteAsync(transaction, before.Id, actor.UserId, "empresa", before.Id.ToString(), "actualizar",
            new { antes = Describe(before, faqChanged), despues = Describe(after, faqChanged) });
        await transaction.CommitAsync();
        return after;
    }

    private const string InsertUserSql = $"""
        INSERT INTO users (id, tenant_id, name, email, password_hash, role)
        VALUES (@Id, @TenantId, @Name, @Email, @PasswordHash, @Role)
        RETURNING {UserColumns}
        """;

    /// <summary>Throws a unique violation on users_email_key when the e-mail is taken anywhere in the system.</summary>
    public async Task<UserView> InsertUserAsync(Guid tenantId, Actor actor, NewUser user, string passwordHash)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var created = await connection.QuerySingleAsync<UserView>(InsertUserSql, new
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            user.Name,
            user.Email,
            PasswordHash = passwordHash,
            user.Role,
        }, transaction);
        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "usuario", created.Id.ToString(), "crear",
            new { nombre = created.Name, email = created.Email, rol = created.Role });
        await transaction.CommitAsync();
        return created;
    }

    private const string UpdateUserSql = $"""
        UPDATE users SET name = @Name, role = @Role, active = @Active, updated_at = now()
         WHERE id = @Id AND tenant_id = @TenantId
        RETURNING {UserColumns}
        """;

    public async Task<UserView> UpdateUserAsync(Actor actor, UserView before, string name, string role, bool active)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var after = await connection.QuerySingleAsync<UserView>(UpdateUserSql, new
        {
            before.Id,
            TenantId = before.EmpresaId,
            Name = name,
            Role = role,
            Active = active,
        }, transaction);
        await AuditWriter.WriteAsync(transaction, before.EmpresaId, actor.UserId, "usuario", before.Id.ToString(), "actualizar", new
        {
            antes = new { nombre = before.Name, rol = before.Role, activo = before.Active },
            despues = new { nombre = after.Name, rol = after.Role, activo = after.Active },
        });
        await transaction.CommitAsync();
        return after;
    }

    private static Dictionary<string, object> Describe(EmpresaProfile p, bool withFaq)
    {
        var detail = new Dictionary<string, object>
        {
            ["nombre"] = p.Name,
            ["moneda"] = p.Currency,
            ["cultura"] = p.Culture,
            ["zona_horaria"] = p.TimeZone,
            ["tono"] = p.Tone,
            ["instrucciones"] = p.Instructions,
            ["nombre_agente"] = p.AgentName,
            ["pedidos_chat_pendientes"] = p.ChatOrdersPending,
        };
        if (withFaq)
        {
            detail["preguntas_frecuentes"] = p.Faq.Select(f => new { pregunta = f.Question, respuesta = f.Answer }).ToArray();
        }

        return detail;
    }
}

internal sealed record StoredFaq([property: JsonPropertyName("pregunta")] string Question, [property: JsonPropertyName("respuesta")] string Answer);

[JsonSerializable(typeof(StoredFaq[]))]
internal sealed partial class EmpresaJson : JsonSerializerContext;
