package io.sitegate.cellular.command;

import io.sitegate.cellular.CellularEnforcement;
import io.sitegate.cellular.DataSize;
import io.sitegate.cellular.QuotaOverride;
import io.sitegate.cellular.QuotaPolicy;

import java.util.OptionalLong;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;

/** {@code sitegate:quota-override <modem> [--bytes N] | --clear}. */
@Command(scope = "sitegate", name = "quota-override",
        description = "Lets a modem's data through a reached quota until the end of the billing cycle, or withdraws that override.",
        detailedDescription = "Without options, no quota blocks anything for the rest of the cycle. With --bytes the data limit is "
                + "raised by that amount (500MB, 2GB, 1GiB) for the rest of the cycle. --clear withdraws the override. "
                + "The next cycle always starts without one. Options go before the modem id: sitegate:quota-override --bytes 500MB wan0")
@Service
public class QuotaOverrideCommand implements Action {
    @Reference
    CellularEnforcement enforcement;

    @Argument(index = 0, name = "modem", description = "Modem id", required = true)
    @Completion(CellularModemCompleter.class)
    String modem;

    @Option(name = "--bytes", aliases = "-b", description = "Extra data for the rest of the cycle (500MB, 2GB, 1GiB)")
    String bytes;

    @Option(name = "--clear", description = "Withdraw the override")
    boolean clear;

    @Override
    public Object execute() throws Exception {
        String user = ShellUtil.getCurrentUserName();
        String by = "shell " + (user == null ? "(unknown user)" : user);
        if (clear) {
            if (bytes != null) {
                throw new IllegalArgumentException("--clear and --bytes exclude each other");
            }
            boolean had = enforcement.clearQuotaOverride(modem, by);
            System.out.println(had ? "Override of " + modem + " withdrawn." : "No override on " + modem + ".");
            return null;
        }
        OptionalLong extra = OptionalLong.empty();
        if (bytes != null) {
            long n;
            try {
                n = DataSize.parse(bytes, QuotaPolicy.MAX_LIMIT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--bytes '" + bytes + "': " + e.getMessage());
            }
            if (n == 0) {
                throw new IllegalArgumentException("--bytes must be more than 0");
            }
            extra = OptionalLong.of(n);
        }
        QuotaOverride o = enforcement.grantQuotaOverride(modem, extra, by);
        System.out.println("Override on " + modem + ": " + QuotaStatusCommand.describe(o));
        return null;
    }
}
