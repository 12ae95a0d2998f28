using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Npgsql;
using NpgsqlTypes;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>
/// The <c>Idempotency-Key</c> header of the POSTs that create something: the same key with the same
/// body within 24 hours answers the first answer again instead of doing the work twice.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;

    /// <summary>Makes the route honour Idempotency-Key; <typeparamref name="TBody"/> is its JSON body, which the key is bound to.</summary>
    public static RouteHandlerBuilder WithIdempotency<TBody>(this RouteHandlerBuilder route) where TBody : class =>
        route.AddEndpointFilter<RouteHandlerBuilder, IdempotencyFilter<TBody>>()
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = Header,
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = "Opcional. La misma clave con la misma solicitud durante 24 horas devuelve la primera respuesta sin repetir la operación.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = MaxKeyLength },
                });
                return Task.CompletedTask;
            })
            .ProducesProblemByDefault(StatusCodes.Status400BadRequest,
                "Solicitud mal formada: el cuerpo no es JSON válido o un campo tiene otro tipo, o la cabecera Idempotency-Key no es válida.")
            .ProducesProblemByDefault(StatusCodes.Status409Conflict,
                "Una solicitud con la misma Idempotency-Key todavía se procesa: espera su respuesta y repite con la misma clave (Retry-After).")
            .ProducesProblemByDefault(StatusCodes.Status422UnprocessableEntity,
                "Datos inválidos ('errors' nombra cada campo y qué corregir), o la Idempotency-Key ya se usó con otra solicitud (errors['Idempotency-Key']).");

    /// <summary>Why the header value cannot be a key, or null when it can.</summary>
    public static string? KeyProblem(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return "La cabecera Idempotency-Key está vacía.";
        }

        if (key.Length > MaxKeyLength)
        {
            return $"La cabecera Idempotency-Key admite como máximo {MaxKeyLength} caracteres.";
        }

        return key.All(c => c is >= ' ' and <= '~')
            ? null
            : "La cabecera Idempotency-Key solo admite caracteres ASCII imprimibles (por ejemplo un UUID).";
    }

    /// <summary>Answers worth repeating: successes and refusals that the same request would get again.</summary>
    public static bool IsKept(int status) => status is >= 200 and < 300 or StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity;
}

public sealed class IdempotencyFilter<TBody>(NpgsqlDataSource database, IOptions<JsonOptions> json, ILogger<IdempotencyFilter<TBody>> logger)
    : IEndpointFilter where TBody : class
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var values = http.Request.Headers[Idempotency.Header];
        if (values.Count == 0)
        {
            return await next(context);
        }

        var keyProblem = values.Count > 1 ? "Envía una sola cabecera Idempotency-Key." : Idempotency.KeyProblem(values[0]);
        if (keyProblem is not null)
        {
            return Problems.BadRequest(keyProblem);
        }

        var store = new IdempotencyStore(database, http.User.EmpresaId(), values[0]!.Trim(), Hash(http, context.Arguments.OfType<TBody>().SingleOrDefault()));
        IdempotencyStore.Claim claim;
        try
        {
            claim = await store.ClaimAsync(http.RequestAborted);
        }
        catch (NpgsqlException e)
        {
            logger.LogError(e, "Could not claim an Idempotency-Key");
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: Problems.TitleFor(503),
                detail: "No se pudo comprobar la Idempotency-Key en la base de datos; no se hizo nada. Intenta de nuevo en unos segundos.");
        }

        switch (claim)
        {
            case IdempotencyStore.Claim.Answered answered:
                return new StoredAnswer(answered.Answer, Replayed: true);
            case IdempotencyStore.Claim.OtherRequest:
                return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
                {
                    [Idempotency.Header] = ["Esta clave ya se usó en las últimas 24 horas con otra solicitud; usa una clave nueva para cada operación."],
                })
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = Problems.TitleFor(422),
                    Detail = "La Idempotency-Key ya corresponde a otra solicitud.",
                });
            case IdempotencyStore.Claim.InFlight:
                http.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: Problems.TitleFor(409),
                    detail: "Una solicitud con esta Idempotency-Key todavía se está procesando. Espera su respuesta y vuelve a intentarlo con la misma clave.");
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await ForgetAsync(store);
            throw;
        }

        if (result is not IResult answer)
        {
            await ForgetAsync(store);
            return result;
        }

        var recorded = await RecordAsync(http, answer);
        try
        {
            if (Idempotency.IsKept(recorded.Status))
            {
                await store.CompleteAsync(recorded, CancellationToken.None);
            }
            else
            {
                await store.ForgetAsync(CancellationToken.None);
            }
        }
        catch (NpgsqlException e)
        {
            // The work is done and its answer is sent; only a retry within minutes could repeat it.
            logger.LogError(e, "Could not record the answer of an Idempotency-Key");
        }

        return new StoredAnswer(recorded, Replayed: false);
    }

    private async Task ForgetAsync(IdempotencyStore store)
    {
        try
        {
            await store.ForgetAsync(CancellationToken.None);
        }
        catch (NpgsqlException e)
        {
            logger.LogError(e, "Could not release an Idempotency-Key");
        }
    }

    // The body as the Api read it (field names and values, not whitespace or key order), bound to the route.
    private byte[] Hash(HttpContext http, TBody? body)
    {
        var route = Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n");
        var content = JsonSerializer.SerializeToUtf8Bytes(body, json.Value.SerializerOptions);
        return SHA256.HashData([.. route, .. content]);
    }

    /// <summary>Runs the handler's result into memory, so that the very bytes sent can be kept.</summary>
    private static async Task<IdempotencyStore.Answer> RecordAsync(HttpContext http, IResult answer)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await answer.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var location = http.Response.Headers.Location.ToString();
        return new IdempotencyStore.Answer(http.Response.StatusCode, http.Response.ContentType, location.Length == 0 ? null : location, buffer.ToArray());
    }

    private sealed class StoredAnswer(IdempotencyStore.Answer answer, bool Replayed) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = answer.Status;
            http.Response.ContentType = answer.ContentType;
            if (answer.Location is { } location)
            {
                http.Response.Headers.Location = location;
            }

            if (Replayed)
            {
                http.Response.Headers[Idempotency.ReplayedHeader] = "true";
            }

            http.Response.ContentLength = answer.Body.Length;
            await http.Response.Body.WriteAsync(answer.Body);
        }
    }
}

/// <summary>The rows of idempotency_keys (sql/0081) for one empresa's key and one request.</summary>
public sealed class IdempotencyStore(NpgsqlDataSource database, Guid tenantId, string key, byte[] requestHash)
{
    public sealed record Answer(int Status, string? ContentType, string? Location, byte[] Body);

    public abstract record Claim
    {
        /// <summary>This request owns the key: do the work, then complete or forget it.</summary>
        public sealed record Owned : Claim;

        public sealed record Answered(Answer Answer) : Claim;

        public sealed record InFlight : Claim;

        public sealed record OtherRequest : Claim;
    }

    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(5);
    private static long _nextPurge;

    // A key is taken when free, expired (24 h), or left in flight for 2 minutes by the same request
    // (its Api process died before answering).
    private const string ClaimSql = """
        INSERT INTO idempotency_keys AS k (tenant_id, key, request_hash, created_at)
        VALUES ($1, $2, $3, now())
        ON CONFLICT (tenant_id, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, status = NULL, content_type = NULL, location = NULL, body = NULL,
               created_at = EXCLUDED.created_at
         WHERE k.created_at < now() - interval '24 hours'
            OR (k.status IS NULL AND k.request_hash = EXCLUDED.request_hash AND k.created_at < now() - interval '2 minutes')
        RETURNING 1
        """;

    private const string ReadSql = """
        SELECT request_hash, status, content_type, location, body
          FROM idempotency_keys
         WHERE tenant_id = $1 AND key = $2
        """;

    private const string CompleteSql = """
        UPDATE idempotency_keys SET status = $4, content_type = $5, location = $6, body = $7
         WHERE tenant_id = $1 AND key = $2 AND request_hash = $3 AND status IS NULL
        """;

    private const string ForgetSql = "DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND request_hash = $3 AND status IS NULL";

    private const string PurgeSql = "DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'";

    public async Task<Claim> ClaimAsync(CancellationToken cancellationToken)
    {
        await PurgeNowAndThenAsync(cancellationToken);
        // The row may vanish between the two statements (its request failed and forgot it): then claim again.
        for (var attempt = 0; ; attempt++)
        {
            await using (var claim = Command(ClaimSql))
            {
                if (await claim.ExecuteScalarAsync(cancellationToken) is not null)
                {
                    return new Claim.Owned();
                }
            }

            await using var read = Command(ReadSql);
            await using var row = await read.ExecuteReaderAsync(cancellationToken);
            if (await row.ReadAsync(cancellationToken))
            {
                if (!((byte[])row[0]).AsSpan().SequenceEqual(requestHash))
                {
                    return new Claim.OtherRequest();
                }

                return row.IsDBNull(1)
                    ? new Claim.InFlight()
                    : new Claim.Answered(new Answer(row.GetInt16(1), row.IsDBNull(2) ? null : row.GetString(2),
                        row.IsDBNull(3) ? null : row.GetString(3), (byte[])row[4]));
            }

            if (attempt == 2)
            {
                return new Claim.InFlight();
            }
        }
    }

    public async Task CompleteAsync(Answer answer, CancellationToken cancellationToken)
    {
        await using var command = Command(CompleteSql);
        command.Parameters.Add(new NpgsqlParameter { Value = (short)answer.Status, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)answer.ContentType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)answer.Location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter { Value = answer.Body, NpgsqlDbType = NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ForgetAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(ForgetSql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes expired keys at most once per <see cref="PurgeEvery"/> in this process.</summary>
    private async Task PurgeNowAndThenAsync(CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        var next = Interlocked.Read(ref _nextPurge);
        if (now < next || Interlocked.CompareExchange(ref _nextPurge, now + (long)PurgeEvery.TotalMilliseconds, next) != next)
        {
            return;
        }

        await using var purge = database.CreateCommand(PurgeSql);
        await purge.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand Command(string sql)
    {
        var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Varchar });
        if (sql != ReadSql)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = requestHash, NpgsqlDbType = NpgsqlDbType.Bytea });
        }

        return command;
    }
}
