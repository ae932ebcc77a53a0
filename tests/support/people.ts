/** Fictional staff of the test school and the roles they hold (served by the Graph stub). */
import type { Role } from '../../core/roles';

export interface TestPerson {
  id: string;
  displayName: string;
  roles: Role[];
  email?: string;
}

const person = (n: number, displayName: string, roles: Role[]): TestPerson => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  displayName,
  roles: [...roles, 'allStaff'],
  email: `${displayName.toLowerCase().replace(/ /g, '.')}@school.example`,
});

export const PEOPLE = {
  reporter: person(1, 'Sam Taylor', []),
  dslPrep: person(2, 'Priya Shah', ['dslPrep']),
  dslPrePrep: person(3, 'Tom Okafor', ['dslPrePrep']),
  deputy: person(4, 'Dana Lee', ['deputyDsl']),
  osl: person(5, 'Dan Reed', ['onlineSafetyLead']),
  head: person(6, 'Helen Marsh', ['headteacher']),
  chair: person(7, 'Margaret Cole', ['chairOfGovernors']),
  tech: person(8, 'Ian Price', ['technicalStaff']),
  teacher: person(9, 'Chris Evans', []),
  office: person(10, 'Lucy Brown', ['officeStaff']),
} as const;

export type PersonKey = keyof typeof PEOPLE;
