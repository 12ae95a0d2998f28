using AgenteVendedor.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgenteVendedor.Database;

/// <summary>
/// Turns the driver's exceptions, which Orleans cannot carry across a grain call, into ours: a lost or
/// refused connection becomes <see cref="DatabaseUnavailableException"/> (the caller may retry), any
/// other database error <see cref="DatabaseFailureException"/>. On a lost connection the idle pooled
/// connections are dropped too: after a restart every one of them is dead, and each would otherwise
/// fail one more request before the pool noticed.
/// </summary>
public sealed class DatabaseFaults(ILogger<DatabaseFaults> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (Find(e) is { } database)
        {
            if (IsUnavailable(database))
            {
                NpgsqlConnection.ClearAllPools();
                logger.LogWarning("PostgreSQL is unavailable ({Reason}) during {Method}", database.Message, context.MethodName);
                throw new DatabaseUnavailableException("PostgreSQL no está disponible: " + database.Message);
            }

            var state = (database as PostgresException)?.SqlState;
            logger.LogError(database, "PostgreSQL refused {Method} ({SqlState})", context.MethodName, state);
            throw new DatabaseFailureException($"PostgreSQL rechazó la operación ({state ?? "sin código"}).") { SqlState = state };
        }
    }

    private static NpgsqlException? Find(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException npgsql)
            {
                return npgsql;
            }
        }

        return e is AggregateException aggregate ? aggregate.InnerExceptions.Select(Find).FirstOrDefault(x => x is not null) : null;
    }

    /// <summary>Connection lost or refused, server shutting down or starting, out of connections — not a bad statement.</summary>
    public static bool IsUnavailable(NpgsqlException e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal)   // connection exception
            || p.SqlState.StartsWith("57P", StringComparison.Ordinal)                   // admin/crash shutdown, cannot connect now
            || p.SqlState.StartsWith("53", StringComparison.Ordinal)                    // insufficient resources (too many connections)
            || p.IsTransient,
        _ => true, // Npgsql raises a plain NpgsqlException only for I/O: a socket refused, reset or timed out.
    };
}
