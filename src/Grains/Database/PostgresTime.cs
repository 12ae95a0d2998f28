namespace AgenteVendedor.Database;

public static class PostgresTime
{
    /// <summary>Now, at the microsecond precision PostgreSQL keeps, so memory and database agree exactly.</summary>
    public static DateTime Now(TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }
}
