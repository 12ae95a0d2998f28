using Npgsql;

namespace AgenteVendedor.Database;

public static class PostgresErrors
{
    public static bool IsUniqueViolation(this Exception exception, string? constraint = null) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
        && (constraint is null || pg.ConstraintName == constraint);
}
