package io.sitegate.filter.command;

import io.sitegate.filter.internal.FilterComponent;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:filter-rules}. */
@Command(scope = "sitegate", name = "filter-rules", description = "Lists the outbound rules in force and the default action.")
@Service
public class FilterRulesCommand implements Action {
    @Reference(optional = true)
    FilterComponent filter;

    @Override
    public Object execute() throws Exception {
        Filters.require(filter).rules().forEach(System.out::println);
        return null;
    }
}
