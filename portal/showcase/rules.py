"""Who may see and change a company's products (object: a Product, or the Company for the list).

- everybody: products of verified companies that no coordinator has hidden, with their files;
- the company's members (owners and members alike, like postings): all of their products, hidden ones
  with the coordinator's reason; they add, edit, reorder and delete them;
- coordinators and admins: everything, and they hide or show products again.
"""

import rules

from portal.accounts.rules import is_coordinator_or_admin
from portal.companies.rules import is_company_member


@rules.predicate
def is_product_public(user, product) -> bool:
    return product is not None and not product.is_hidden and product.company.is_verified


@rules.predicate
def is_member_of_product_company(user, product) -> bool:
    return product is not None and is_company_member(user, product.company)


rules.add_perm(
    "showcase.see_product", is_product_public | is_member_of_product_company | is_coordinator_or_admin
)
rules.add_perm("showcase.edit_product", is_member_of_product_company | is_coordinator_or_admin)
rules.add_perm("showcase.moderate_product", is_coordinator_or_admin)
# Object: the company whose showcase is managed.
rules.add_perm("showcase.manage_showcase", is_company_member | is_coordinator_or_admin)
