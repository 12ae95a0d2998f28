namespace AgenteVendedor.Channels.Pacing;

/// <summary>Slots spaced evenly from the first free one: a number never gets two slots closer than the spacing.</summary>
public sealed class WhatsAppThroughputGrain(PacingOptions options, TimeProvider clock) : Grain, IWhatsAppThroughputGrain
{
    private DateTime _nextFree = DateTime.MinValue;

    public Task<SendSlots> ReserveAsync(int count)
    {
        var granted = Math.Clamp(count, 1, PacingOptions.MaxBatch);
        var now = clock.GetUtcNow().UtcDateTime;
        var first = _nextFree > now ? _nextFree : now;
        _nextFree = first + options.Spacing * granted;
        return Task.FromResult(new SendSlots(first, options.Spacing, granted));
    }
}

/// <summary>
/// The pair's bucket as a theoretical arrival time (the cell-rate form of a token bucket): a send may leave once
/// it is no more than burst − 1 refills ahead of it, and each send pushes it one refill further. When a send is
/// answered the time is moved to at least one refill after that moment, because Meta may have counted it as late
/// as that; so sends that are made one after another never arrive closer than Meta's own bucket allows.
/// </summary>
public sealed class RecipientPacerGrain(PacingOptions options, TimeProvider clock) : Grain, IRecipientPacerGrain
{
    private DateTime _theoretical = DateTime.MinValue;

    public Task<TimeSpan> TakeAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var theoretical = _theoretical > now ? _theoretical : now;
        var leaves = theoretical - options.RecipientRefill * (options.RecipientBurst - 1);
        _theoretical = theoretical + options.RecipientRefill;
        return Task.FromResult(leaves > now ? leaves - now : TimeSpan.Zero);
    }

    public Task SentAsync()
    {
        var counted = clock.GetUtcNow().UtcDateTime + options.RecipientRefill;
        if (counted > _theoretical)
        {
            _theoretical = counted;
        }

        return Task.CompletedTask;
    }
}
